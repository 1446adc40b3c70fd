package dev.holdfast.draft;

/** Which side a {@link Draft#rebase rebase} keeps for one conflict. */
public enum Side {
    /** Keep the draft's value: the next commit writes it over theirs. */
    MINE,
    /** Take the value committed meanwhile: the draft drops its own change of that column (or row). */
    THEIRS
}
