package dev.holdfast.testkit.audit;

/** How the database prevented an anomaly; {@link #NONE} for a cell where the anomaly happened. */
public enum Prevention {
    /** A transaction was aborted with an error (serialization failure, deadlock, SQLite busy, ...). */
    ABORTED,
    /** A step waited for another transaction's lock, and the wait ordered the transactions. */
    BLOCKED,
    /** Nothing waited or failed: the other transaction's write was simply not visible. */
    NOT_VISIBLE,
    /** The anomaly happened. */
    NONE
}
