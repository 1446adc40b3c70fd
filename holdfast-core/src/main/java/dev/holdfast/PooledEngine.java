package dev.holdfast;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Each transaction borrows a connection from a pool (HikariCP, or the user's own {@link DataSource}) for the length of
 * one attempt. On PostgreSQL and MariaDB transactions begin and end through JDBC; on SQLite through SQL, so that a
 * write transaction is {@code BEGIN IMMEDIATE} (it takes the write lock up front instead of failing to upgrade a read
 * lock half-way, which no busy timeout can resolve).
 */
final class PooledEngine implements Engine {
    private final DataSource dataSource;
    private final AutoCloseable owned;   // the pool we created, closed with the engine; null for a user's data source
    /**
     * The isolation level every connection of our own pool is at when it is borrowed: HikariCP sets it on each new
     * connection and puts it back when a transaction changed it through JDBC. Null for a user's data source, or when
     * the pool sets no level (SQLite readers): then each transaction asks the connection.
     */
    private final Isolation poolLevel;

    PooledEngine(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.poolLevel = owned instanceof HikariDataSource pool ? levelOf(pool.getTransactionIsolation()) : null;
    }

    private static Isolation levelOf(String hikariIsolation) {
        String prefix = "TRANSACTION_";
        if (hikariIsolation == null || !hikariIsolation.startsWith(prefix)) {
            return null;
        }
        try {
            return Isolation.valueOf(hikariIsolation.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public <R> Outcome<R> run(Database db, Attempt attempt, TransactionCallback<R, ?> body) throws Exception {
        Connection connection = db.connect(dataSource);
        Transaction tx = new Transaction(db, connection, boundary(db.dialect(), attempt), attempt.isolation(),
                attempt.readOnly(), attempt.number(), attempt.deadlineNanos()).connectionAt(poolLevel);
        try {
            db.enter(tx);
            tx.begin();
            R value = body.apply(tx);
            tx.commit();
            return new Outcome<>(value, tx.afterCommitActions());
        } catch (Throwable t) {
            tx.rollback(t);
            throw t;
        } finally {
            db.exit(tx);
            tx.close();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // returning a connection to the pool does not fail in a way the caller could act on
            }
        }
    }

    private static Transaction.Boundary boundary(Dialect dialect, Attempt attempt) {
        if (attempt.singleStatement()) {
            return Transaction.Boundary.AUTOCOMMIT;
        }
        if (dialect instanceof SqliteDialect) {
            return Transaction.Boundary.SQL;
        }
        if (attempt.readOnly() && attempt.isolation() == Isolation.READ_COMMITTED) {
            // Each statement at READ COMMITTED sees its own snapshot with or without a transaction around it:
            // autocommit means the same and saves the COMMIT round trip.
            return Transaction.Boundary.AUTOCOMMIT;
        }
        return Transaction.Boundary.JDBC;
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
