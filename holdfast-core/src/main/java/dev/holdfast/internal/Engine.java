package dev.holdfast.internal;

/**
 * Runs one attempt of a transaction on a connection: begin, body, commit, or rollback on failure. The retry loop, the
 * after-commit actions and the options live in the database; an engine only decides which connection a
 * transaction gets and how it begins and ends. {@link PooledEngine} serves PostgreSQL, MariaDB and SQLite in
 * multi-process mode; the SQLite engine serves SQLite in one process.
 */
public interface Engine extends AutoCloseable {

    /** What one attempt needs to know; {@code isolationLevel} is a JDBC level, 0 for the connection's own. */
    record Attempt(int isolationLevel, boolean readOnly, boolean singleStatement, int number, long deadlineNanos) {
    }

    /** A committed attempt: the body's value and the actions to run now that it is durable. */
    record Outcome<R>(R value, java.util.List<Runnable> afterCommit) {
    }

    <R> Outcome<R> run(Sessions sessions, Attempt attempt, Body<R> body) throws Exception;

    @Override
    void close();
}
