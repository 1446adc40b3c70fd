package dev.holdfast.draft;

import java.util.List;

/**
 * One recorded operation of a draft, as stored: a row of {@code holdfast_draft_operation} and its rows of
 * {@code holdfast_draft_value}. Values are text ({@link ValueText}); the record class says how to read them.
 */
record Operation(int seq, Kind kind, String recordClass, String table, String rowId, Long baseVersion,
                 List<Entry> entries) {

    enum Kind {
        /** Columns changed: old value (what the draft showed) and new value, with the row's version when read. */
        MODIFY,
        /** A new row: every column as new value. */
        INSERT,
        /** The row deleted: every column of the row as it was read (old value), the base of the conflict check. */
        DELETE,
        /** After a conflict: the columns' base becomes theirs (old value), and the draft's value the new value. */
        REBASE,
        /** After a conflict resolved for theirs: the draft forgets every change it holds for the row. */
        FORGET
    }

    /** One column of an operation. */
    record Entry(String column, String oldValue, String newValue) {
    }
}
