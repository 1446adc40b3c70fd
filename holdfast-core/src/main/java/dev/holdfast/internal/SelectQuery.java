package dev.holdfast.internal;

import java.util.List;
import java.util.Optional;

/**
 * The record side of a select: what the public builder needs to turn its clauses into SQL and run it in a
 * transaction, without naming the record machinery or the transaction.
 */
public interface SelectQuery<T> {

    /** The record type's simple name, for messages. */
    String typeName();

    /** The complete statement for these clauses; refuses a locking read where the lock would protect nothing. */
    String sql(String where, String orderBy, int limit, RowLock lock, LockWait wait);

    /** Runs the statement and reads every row. */
    List<T> list(String sql, Object[] args);

    /** Runs the statement for at most one row. */
    Optional<T> optional(String sql, Object[] args);
}
