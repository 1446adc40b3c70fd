package dev.holdfast.draft;

import dev.holdfast.internal.record.RecordColumns;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a draft's operations add up to for one row: the columns it changes (each with the value it started from, its
 * base, and its own value, mine), or a new row, or a deletion. Built by replaying the applied operations in order.
 */
final class RowChange {
    final RecordColumns<?> columns;
    final String table;
    final String rowId;
    final Object id;
    /** Column index to base value, for the columns the draft changes. */
    final Map<Integer, Object> base = new LinkedHashMap<>();
    /** Column index to the draft's value. */
    final Map<Integer, Object> mine = new LinkedHashMap<>();
    Long baseVersion;
    /** Every column of a row the draft inserts, or null. */
    Object[] inserted;
    /** Every column of the row as read when the draft deleted it, or null when the draft does not delete it. */
    Object[] deletedBase;

    RowChange(RecordColumns<?> columns, String table, String rowId, Object id) {
        this.columns = columns;
        this.table = table;
        this.rowId = rowId;
        this.id = id;
    }

    boolean deleted() {
        return deletedBase != null;
    }

    /** Applies one operation; false when the row no longer holds any change (an insert deleted again, a forget). */
    boolean apply(Operation op) {
        switch (op.kind()) {
            case MODIFY -> {
                for (Operation.Entry e : op.entries()) {
                    int i = columns.index(e.column());
                    Object now = decode(e.newValue(), i);
                    if (inserted != null) {
                        inserted[i] = now;
                    } else {
                        base.putIfAbsent(i, decode(e.oldValue(), i));
                        mine.put(i, now);
                    }
                }
                if (baseVersion == null) {
                    baseVersion = op.baseVersion();
                }
            }
            case INSERT -> {
                inserted = new Object[columns.columns().size()];
                for (Operation.Entry e : op.entries()) {
                    int i = columns.index(e.column());
                    inserted[i] = decode(e.newValue(), i);
                }
            }
            case DELETE -> {
                if (inserted != null) {
                    inserted = null;
                    return deletedBase != null;   // a row the draft had replaced stays deleted; a new one is gone
                }
                deletedBase = new Object[columns.columns().size()];
                for (Operation.Entry e : op.entries()) {
                    int i = columns.index(e.column());
                    deletedBase[i] = decode(e.oldValue(), i);
                }
                base.clear();
                mine.clear();
                baseVersion = op.baseVersion();
            }
            case REBASE -> {
                for (Operation.Entry e : op.entries()) {
                    int i = columns.index(e.column());
                    if (deletedBase != null && inserted == null) {
                        deletedBase[i] = decode(e.oldValue(), i);
                    } else {
                        base.put(i, decode(e.oldValue(), i));
                        mine.put(i, decode(e.newValue(), i));
                    }
                }
                baseVersion = op.baseVersion();
            }
            case FORGET -> {
                return false;
            }
        }
        return true;
    }

    /** The row as it will be after commit, given the row as committed now ({@code null}: none). */
    Object[] view(Object[] committed) {
        if (inserted != null) {
            return inserted.clone();
        }
        if (deletedBase != null || committed == null) {
            return null;
        }
        Object[] out = committed.clone();
        mine.forEach((i, v) -> out[i] = v);
        return out;
    }

    private Object decode(String text, int index) {
        return ValueText.decode(text, columns.columnType(index));
    }
}
