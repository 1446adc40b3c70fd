package dev.holdfast.draft;

import dev.holdfast.Transaction;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.UniqueViolationException;
import dev.holdfast.internal.record.RecordColumns;
import dev.holdfast.record.Update;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A draft's commit, inside one transaction: lock every touched row, merge column by column (base, mine, theirs),
 * and only when no row conflicts, write. The first phase writes nothing, so a conflict leaves every row as it was.
 */
final class DraftCommit {
    private DraftCommit() {
    }

    static void run(Transaction tx, Drafts drafts, String draftId) {
        DraftTables.State s = drafts.tables().lockOpen(tx, draftId);
        Map<String, RowChange> folded = drafts.fold(drafts.tables().operations(tx, draftId, s.applied(), null, null));
        // Rows are locked in one global order (table, then key), so two commits touching the same rows wait for each
        // other instead of deadlocking.
        List<RowChange> rows = new ArrayList<>(folded.values());
        rows.sort(Comparator.comparing((RowChange r) -> r.table).thenComparing(r -> r.rowId));
        List<DraftConflict> conflicts = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        for (RowChange rc : rows) {
            merge(tx, rc, lockedRead(tx, rc.columns, rc.id), conflicts, writes);
        }
        if (!conflicts.isEmpty()) {
            throw new DraftConflictException(draftId, conflicts);
        }
        for (Runnable w : writes) {
            w.run();
        }
        if (!conflicts.isEmpty()) {
            throw new DraftConflictException(draftId, conflicts);   // an insert that hit a key inserted meanwhile
        }
        drafts.tables().close(tx, draftId, DraftTables.COMMITTED, drafts.clock.millis());
    }

    private static void merge(Transaction tx, RowChange rc, Object[] theirs, List<DraftConflict> conflicts,
                              List<Runnable> writes) {
        RecordColumns<?> cols = rc.columns;
        if (rc.deleted()) {
            if (theirs != null) {
                boolean changed = false;
                for (int i = 0; i < theirs.length; i++) {
                    if (i != cols.versionIndex() && !ValueText.same(rc.deletedBase[i], theirs[i])) {
                        changed = true;
                        conflicts.add(conflict(rc, i, rc.deletedBase[i], null, theirs[i],
                                DraftConflict.Reason.ROW_CHANGED));
                    }
                }
                if (!changed) {
                    writes.add(() -> tx.delete(cols.type(), rc.id));
                }
            }
            if (rc.inserted != null) {
                writes.add(() -> insert(tx, rc, conflicts));
            }
            return;
        }
        if (rc.inserted != null) {
            if (theirs != null) {
                conflicts.add(conflict(rc, cols.idIndex(), null, cols.construct(rc.inserted), cols.construct(theirs),
                        DraftConflict.Reason.ROW_EXISTS));
            } else {
                writes.add(() -> insert(tx, rc, conflicts));
            }
            return;
        }
        if (theirs == null) {
            rc.mine.forEach((i, m) -> conflicts.add(conflict(rc, i, rc.base.get(i), m, null,
                    DraftConflict.Reason.ROW_DELETED)));
            return;
        }
        List<Update.Assignment> set = new ArrayList<>();
        rc.mine.forEach((i, m) -> {
            Object b = rc.base.get(i);
            Object t = theirs[i];
            if (ValueText.same(t, b)) {
                if (!ValueText.same(m, b)) {
                    set.add(Update.set(cols.columns().get(i), m));   // only mine changed it
                }
            } else if (!ValueText.same(m, t) && !ValueText.same(m, b)) {
                conflicts.add(conflict(rc, i, b, m, t, DraftConflict.Reason.COLUMN_CHANGED));
            }
            // else: only theirs changed it (keep theirs), or both changed it to the same value
        });
        if (!set.isEmpty()) {
            writes.add(() -> tx.update(cols.type(), rc.id, set.toArray(Update.Assignment[]::new)));
        }
    }

    /** Inserts the draft's new row; a key inserted by someone else meanwhile becomes a conflict, not a failure. */
    private static void insert(Transaction tx, RowChange rc, List<DraftConflict> conflicts) {
        RecordColumns<?> cols = rc.columns;
        Object record = cols.construct(rc.inserted);
        try {
            tx.savepoint(sp -> sp.insert(record));
        } catch (UniqueViolationException e) {
            Object existing = tx.find(cols.type(), rc.id).orElse(null);
            conflicts.add(conflict(rc, cols.idIndex(), null, record, existing, DraftConflict.Reason.ROW_EXISTS));
        }
    }

    /** The row as committed, locked until the commit ends ({@code modify} with no change: a locking read). */
    private static <T> Object[] lockedRead(Transaction tx, RecordColumns<T> cols, Object id) {
        try {
            return cols.values(tx.modify(cols.type(), id, row -> row));
        } catch (NotFoundException gone) {
            return null;
        }
    }

    private static DraftConflict conflict(RowChange rc, int column, Object base, Object mine, Object theirs,
                                          DraftConflict.Reason reason) {
        return new DraftConflict(rc.columns.type(), rc.table, rc.id, rc.columns.columns().get(column), base, mine,
                theirs, reason);
    }
}
