package dev.holdfast.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Each transaction borrows a connection from a pool (HikariCP, or the user's own {@link DataSource}) for the length of
 * one attempt. On PostgreSQL and MariaDB transactions begin and end through JDBC; on SQLite through SQL, so that a
 * write transaction is {@code BEGIN IMMEDIATE} (it takes the write lock up front instead of failing to upgrade a read
 * lock half-way, which no busy timeout can resolve).
 */
public final class PooledEngine implements Engine {
    private final DataSource dataSource;
    private final AutoCloseable owned;   // the pool we created, closed with the engine; null for a user's data source
    /**
     * The isolation level every connection of our own pool is at when it is borrowed: HikariCP sets it on each new
     * connection and puts it back when a transaction changed it through JDBC. Null for a user's data source, or when
     * the pool sets no level (SQLite readers): then each transaction asks the connection.
     */
    private final int poolLevel;

    public PooledEngine(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.poolLevel = owned instanceof HikariDataSource pool ? levelOf(pool.getTransactionIsolation()) : 0;
    }

    private static int levelOf(String hikariIsolation) {
        if (hikariIsolation == null) {
            return 0;
        }
        return switch (hikariIsolation) {
            case "TRANSACTION_READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "TRANSACTION_READ_COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            case "TRANSACTION_REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "TRANSACTION_SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> 0;
        };
    }

    @Override
    public <R> Outcome<R> run(Sessions sessions, Attempt attempt, Body<R> body) throws Exception {
        Connection connection = sessions.connect(dataSource);
        Session tx = sessions.open(connection, boundary(sessions.dialect(), attempt), attempt.isolationLevel(),
                attempt.readOnly(), attempt.number(), attempt.deadlineNanos()).connectionAt(poolLevel);
        try {
            tx.enter();
            tx.begin();
            R value = body.apply(tx);
            tx.commit();
            return new Outcome<>(value, tx.afterCommitActions());
        } catch (Throwable t) {
            tx.rollback(t);
            throw t;
        } finally {
            tx.exit();
            tx.close();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // returning a connection to the pool does not fail in a way the caller could act on
            }
        }
    }

    private static Boundary boundary(Dialect dialect, Attempt attempt) {
        if (attempt.singleStatement()) {
            return Boundary.AUTOCOMMIT;
        }
        if (dialect instanceof SqliteDialect) {
            return Boundary.SQL;
        }
        if (attempt.readOnly() && attempt.isolationLevel() == Connection.TRANSACTION_READ_COMMITTED) {
            // Each statement at READ COMMITTED sees its own snapshot with or without a transaction around it:
            // autocommit means the same and saves the COMMIT round trip.
            return Boundary.AUTOCOMMIT;
        }
        return Boundary.JDBC;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new HoldfastException("Closing the connection pool failed", e);
            }
        }
    }
}
