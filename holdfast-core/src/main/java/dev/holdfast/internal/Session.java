package dev.holdfast.internal;

import dev.holdfast.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * One attempt of a transaction as the engines and the record operations see it. The public transaction implements it
 * (through an object of its own, so none of these methods joins its public API); engines begin, commit and end it,
 * record operations run their statements through it. Neither needs to know the public types.
 */
public interface Session {

    // ------------------------------------------------------------------------------------------------ engine side

    /** Makes this the current transaction of its database on this thread (nested calls join it). */
    void enter();

    /** Undoes {@link #enter()}. */
    void exit();

    /** Starts the transaction on its connection. */
    void begin();

    /** Commits; a conflict the body swallowed is thrown instead. */
    void commit();

    /** Rolls back, never throwing; false when the rollback itself failed. */
    boolean rollback(Throwable cause);

    /** Puts the connection back as the pool gave it, and makes later use an error. */
    void close();

    /** The actions to run once the transaction is durable. */
    List<Runnable> afterCommitActions();

    /** Reuses prepared statements from {@code cache}, which must belong to this transaction's connection. */
    Session cachingStatements(PreparedStatements cache);

    /** The JDBC isolation level the connection is known to be at (0: unknown, ask the driver). */
    Session connectionAt(int jdbcLevel);

    // ------------------------------------------------------------------------------------------------ record side

    /** The dialect of the database this transaction runs on. */
    Dialect dialect();

    /** True in a read-only transaction: statements that write are refused. */
    boolean isReadOnly();

    /** True when each statement commits on its own, so no lock outlives its statement. */
    boolean runsEachStatementAlone();

    /** Refuses a write in a read-only transaction, naming the operation. */
    void checkWritableFor(String what);

    /** Refuses a locking read where the lock would protect nothing. */
    void checkLockingRead(String what);

    /** Runs a writing statement; the number of rows changed. */
    int execute(String sql, Object... args);

    /** Runs one statement for many rows of values as a JDBC batch. */
    int[] executeBatch(String sql, List<Object[]> rows);

    /** Runs a query and maps every row. */
    <T> List<T> query(RowMapper<T> mapper, String sql, Object... args);

    /**
     * A catalogue look-up of Holdfast's own (a record type's table check), run on the driver's connection
     * ({@code DatabaseMetaData.getConnection()}) in this transaction but not as one of its statements: listeners
     * and wrappers that gate or count the transaction's statements do not see it. It runs once per type and
     * database, so a wrapper replaying the same code (the interleaving explorer) would otherwise see a statement
     * on the first run that later runs do not send.
     */
    <T> List<T> queryCatalogue(RowMapper<T> mapper, String sql, Object... args);

    /** Runs a query that returns at most one row. */
    <T> Optional<T> queryOne(RowMapper<T> mapper, String sql, Object... args);

    /** Runs a query that returns one value. */
    <T> T queryScalar(Class<T> type, String sql, Object... args);

    /** A query that writes (INSERT/UPDATE ... RETURNING): refused in read-only transactions, reported as an UPDATE. */
    <T> List<T> queryWriting(String sql, Object[] args, RowMapper<T> mapper);

    /**
     * What the record operations learn about this database's tables (checked record types, keyed by record type),
     * kept as long as the database, so each type is checked once per database rather than once per call.
     */
    java.util.concurrent.ConcurrentMap<Object, Object> databaseMemo();

    /** Runs {@code action} on the raw connection once the transaction has ended (MariaDB named-lock release). */
    void afterEnd(EndAction action);

    /** An action on the raw connection once the transaction has ended. */
    @FunctionalInterface
    interface EndAction {
        void run(Connection connection) throws SQLException;
    }
}
