package dev.holdfast.testkit.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Asks the database, from a connection of its own, whether a session's statement is waiting for a lock — the way
 * PostgreSQL's isolation tester does — so a step that waits is known to be blocked, not slow. SQLite needs none: its
 * sessions have a busy timeout of 0, so a step that would wait fails at once with SQLITE_BUSY.
 */
abstract class LockWaitProbe implements AutoCloseable {

    /** True when the session with this backend id (PostgreSQL pid, MariaDB connection id) waits for a lock. */
    abstract boolean isWaiting(long backendId) throws SQLException;

    /**
     * How long after a change (a step sent or finished) an answer of {@link #isWaiting} can still describe the time
     * before it: 0 for both probes here, kept so that a cached source can be used safely.
     */
    abstract long stalenessNanos();

    /** Cancels the statement the session is running, when a script ends with a step still waiting. */
    abstract void cancel(long backendId);

    @Override
    public abstract void close();

    static LockWaitProbe postgres(Connection monitor) throws SQLException {
        return new Monitor(monitor, "select cardinality(pg_blocking_pids(?::int)) > 0", "select pg_cancel_backend(?)", 0);
    }

    /**
     * InnoDB's lock waits, from {@code SHOW ENGINE INNODB STATUS}, which is built fresh for each call. Not from
     * {@code information_schema.innodb_trx}: that table is served from a cache refreshed only after it has gone 100 ms
     * unread, so a probe polling it (or anyone else polling it) sees a frozen picture.
     */
    static LockWaitProbe mariadb(Connection monitor) {
        return new InnodbStatus(monitor);
    }

    static LockWaitProbe none() {
        return new LockWaitProbe() {
            @Override
            boolean isWaiting(long backendId) {
                return false;
            }

            @Override
            long stalenessNanos() {
                return 0;
            }

            @Override
            void cancel(long backendId) {
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class InnodbStatus extends LockWaitProbe {
        private final Connection connection;

        InnodbStatus(Connection connection) {
            this.connection = connection;
        }

        @Override
        synchronized boolean isWaiting(long backendId) throws SQLException {
            String status;
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("show engine innodb status")) {
                if (!rs.next()) {
                    return false;
                }
                status = rs.getString("Status");
            }
            String thread = " thread id " + backendId + ",";   // "MariaDB thread id 12," or "MySQL thread id 12,"
            for (String trx : status.split("---TRANSACTION ")) {
                if (trx.contains(thread)) {
                    return trx.contains("LOCK WAIT");
                }
            }
            return false;
        }

        @Override
        long stalenessNanos() {
            return 0;
        }

        @Override
        synchronized void cancel(long backendId) {
            try (Statement st = connection.createStatement()) {
                st.execute("kill query " + backendId);
            } catch (SQLException e) {
                // it may have finished meanwhile; closing its connection ends it in any case
            }
        }

        @Override
        public synchronized void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do about a monitor connection that will not close
            }
        }
    }

    private static final class Monitor extends LockWaitProbe {
        private final Connection connection;
        private final PreparedStatement waiting;
        private final String cancelSql;
        private final long staleness;

        Monitor(Connection connection, String waitingSql, String cancelSql, long staleness) throws SQLException {
            this.connection = connection;
            this.waiting = connection.prepareStatement(waitingSql);
            this.cancelSql = cancelSql;
            this.staleness = staleness;
        }

        @Override
        synchronized boolean isWaiting(long backendId) throws SQLException {
            waiting.setLong(1, backendId);
            try (ResultSet rs = waiting.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }

        @Override
        long stalenessNanos() {
            return staleness;
        }

        @Override
        synchronized void cancel(long backendId) {
            // KILL QUERY takes no bind parameter on MariaDB: the id is a number we read from the server
            try (Statement st = connection.createStatement()) {
                st.execute(cancelSql.replace("?", Long.toString(backendId)));
            } catch (SQLException e) {
                // it may have finished meanwhile; closing its connection ends it in any case
            }
        }

        @Override
        public synchronized void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do about a monitor connection that will not close
            }
        }
    }
}
