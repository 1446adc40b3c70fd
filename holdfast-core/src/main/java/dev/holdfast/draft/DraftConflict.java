package dev.holdfast.draft;

/**
 * One conflict found when a draft was committed: a column of a row that the draft and someone else both changed, to
 * different values, since the draft read it.
 *
 * <pre>{@code
 * catch (DraftConflictException e) {
 *     for (DraftConflict c : e.conflicts()) {
 *         System.out.println(c.table() + " " + c.id() + " " + c.column() + ": base " + c.base()
 *             + ", mine " + c.mine() + ", theirs " + c.theirs());
 *     }
 * }
 * }</pre>
 *
 * @param type   the record class of the row
 * @param table  the row's table
 * @param id     the row's {@code @Id}
 * @param column the column; for {@link Reason#ROW_DELETED} and {@link Reason#ROW_EXISTS} the column that differs
 *               or the id column
 * @param base   the value the draft started from (what the user saw); {@code null} for an insert
 * @param mine   the draft's value; {@code null} when the draft deletes the row
 * @param theirs the value committed meanwhile; {@code null} when someone else deleted the row
 * @param reason what kind of conflict it is
 */
public record DraftConflict(Class<?> type, String table, Object id, String column, Object base, Object mine,
                            Object theirs, Reason reason) {

    /** What kind of conflict a {@link DraftConflict} is. */
    public enum Reason {
        /** The draft and someone else changed the same column to different values. */
        COLUMN_CHANGED,
        /** The draft changes a row that someone else deleted: committing would resurrect it. */
        ROW_DELETED,
        /** The draft deletes a row that someone else changed: committing would throw their change away. */
        ROW_CHANGED,
        /** The draft inserts a row whose key someone else inserted meanwhile. */
        ROW_EXISTS
    }

    @Override
    public String toString() {
        return table + " " + id + " " + column + " (" + reason + "): base " + show(base) + ", mine " + show(mine)
                + ", theirs " + show(theirs);
    }

    private static String show(Object v) {
        return v instanceof byte[] b ? "byte[" + b.length + "]" : String.valueOf(v);
    }
}
