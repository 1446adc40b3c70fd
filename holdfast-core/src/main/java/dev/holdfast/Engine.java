package dev.holdfast;

/**
 * Runs one attempt of a transaction on a connection: begin, body, commit, or rollback on failure. The retry loop, the
 * after-commit actions and the options live in {@link Database}; an engine only decides which connection a
 * transaction gets and how it begins and ends. {@link PooledEngine} serves PostgreSQL, MariaDB and (for now) SQLite.
 */
interface Engine extends AutoCloseable {

    /** What one attempt needs to know. */
    record Attempt(Isolation isolation, boolean readOnly, boolean singleStatement, int number, long deadlineNanos) {
    }

    /** A committed attempt: the body's value and the actions to run now that it is durable. */
    record Outcome<R>(R value, java.util.List<Runnable> afterCommit) {
    }

    <R> Outcome<R> run(Database db, Attempt attempt, TransactionCallback<R, ?> body) throws Exception;

    @Override
    void close();
}
