package dev.holdfast.draft;

import dev.holdfast.error.HoldfastException;
import java.util.List;

/**
 * {@link Draft#commit()} found conflicts and wrote nothing: the draft is still open, unchanged. Show the
 * {@link #conflicts()} to the user, let them choose per column, {@link Draft#rebase rebase} and commit again.
 *
 * <p>Not a {@link dev.holdfast.error.ConflictException}: running the commit again cannot succeed until someone
 * decides, so the retry loop does not retry it.
 */
public final class DraftConflictException extends HoldfastException {
    private static final long serialVersionUID = 1L;
    private final transient List<DraftConflict> conflicts;

    DraftConflictException(String draftId, List<DraftConflict> conflicts) {
        super("Draft " + draftId + " was not committed: " + conflicts.size() + " conflict(s) with changes committed "
                + "since the draft read the rows; nothing was written. Resolve them with draft.rebase(conflicts, "
                + "choice) and commit again: " + conflicts);
        this.conflicts = List.copyOf(conflicts);
    }

    /** Every conflict: table, id, column, base, mine, theirs. */
    public List<DraftConflict> conflicts() {
        return conflicts;
    }
}
