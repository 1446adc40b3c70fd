package dev.holdfast;

import dev.holdfast.error.ConflictException;

/**
 * Sees every statement Holdfast sends, transaction control included, in the thread that sends it.
 *
 * <p>{@link #beforeStatement} may veto a statement by throwing: the statement is not sent, the exception reaches the
 * caller of {@code transact}, and the transaction is rolled back. A {@link ConflictException} thrown here is retried
 * like any other conflict, so a throttle can ask for a later attempt.
 *
 * <pre>{@code
 * Database db = Database.builder(url)
 *     .listener(new StatementListener() {
 *         public void afterStatement(StatementOutcome o) {
 *             if (o.elapsed().toMillis() > 100) log.warn("slow: {} took {}", o.statement(), o.elapsed());
 *         }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Listeners are called synchronously and must be fast and thread-safe.
 */
public interface StatementListener {

    /** Called before the statement is sent. Throw to veto it. */
    default void beforeStatement(SqlStatement statement) {
    }

    /** Called after the statement finished or failed. An exception thrown here is logged and ignored. */
    default void afterStatement(StatementOutcome outcome) {
    }
}
