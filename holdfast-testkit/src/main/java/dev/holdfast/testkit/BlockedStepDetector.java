package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Asks the database whether an actor's statement is waiting for a lock, from a monitor connection of its own — the
 * way PostgreSQL's isolation tester does — so that the scheduler knows the step is blocked, not slow, and lets the
 * other actors go on. SQLite needs no monitor: actor connections have a busy timeout of 0, so a step that would wait
 * fails at once with SQLITE_BUSY (see {@link ScheduleRun}).
 */
abstract class BlockedStepDetector implements AutoCloseable {

    /** True when the connection with this id is waiting for a lock held by another transaction. */
    abstract boolean isWaiting(long connectionId) throws SQLException;

    /** Cancels the statement the connection is running (used only when a run is abandoned). */
    abstract void cancel(long connectionId);

    @Override
    public abstract void close();

    static BlockedStepDetector forTarget(Target target) throws SQLException {
        return switch (target.kind) {
            case POSTGRES -> new PgBlockingPids(target.open());
            case MARIADB -> new InnoDbMonitor(target.open());
            case SQLITE -> new None();
        };
    }

    /**
     * A detector that asks over a monitor connection of its own; cancelling a statement is one more statement on it.
     * Synchronized: the scheduler and a run being abandoned may ask at the same time.
     */
    private abstract static class OnMonitorConnection extends BlockedStepDetector {
        final Connection connection;

        OnMonitorConnection(Connection connection) {
            this.connection = connection;
        }

        /** The statement that cancels what the connection with this id is running. */
        abstract String cancelSql(long connectionId);

        @Override
        final synchronized void cancel(long connectionId) {
            try (Statement st = connection.createStatement()) {
                st.execute(cancelSql(connectionId));
            } catch (SQLException e) {
                // the statement may have ended meanwhile; closing its connection ends it in any case
            }
        }

        @Override
        public final synchronized void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do about a monitor connection that will not close
            }
        }
    }

    /** PostgreSQL: {@code pg_blocking_pids}. */
    private static final class PgBlockingPids extends OnMonitorConnection {
        private final PreparedStatement waiting;

        PgBlockingPids(Connection connection) throws SQLException {
            super(connection);
            this.waiting = connection.prepareStatement("select cardinality(pg_blocking_pids(?::int)) > 0");
        }

        @Override
        synchronized boolean isWaiting(long connectionId) throws SQLException {
            waiting.setLong(1, connectionId);
            try (ResultSet rs = waiting.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }

        @Override
        String cancelSql(long connectionId) {
            return "select pg_cancel_backend(" + connectionId + ")";
        }
    }

    /**
     * MariaDB: {@code SHOW ENGINE INNODB STATUS}, whose transaction list marks a transaction waiting for a row lock
     * with {@code LOCK WAIT} and names its {@code MariaDB thread id} (the connection's {@code connection_id()}).
     * {@code information_schema.innodb_trx} says the same but is served from a cache that InnoDB refreshes only when
     * it was last read more than 100 ms ago: polled more often than that, it never changes.
     */
    private static final class InnoDbMonitor extends OnMonitorConnection {
        private static final java.util.regex.Pattern THREAD =
                java.util.regex.Pattern.compile("(?:MariaDB|MySQL) thread id (\\d+)");

        InnoDbMonitor(Connection connection) {
            super(connection);
        }

        @Override
        synchronized boolean isWaiting(long connectionId) throws SQLException {
            String status;
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW ENGINE INNODB STATUS")) {
                status = rs.next() ? rs.getString("Status") : "";
            }
            for (String trx : status.split("---TRANSACTION ")) {
                if (trx.contains("\nLOCK WAIT ")) {
                    java.util.regex.Matcher m = THREAD.matcher(trx);
                    if (m.find() && Long.parseLong(m.group(1)) == connectionId) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        String cancelSql(long connectionId) {
            return "KILL QUERY " + connectionId;
        }
    }

    private static final class None extends BlockedStepDetector {
        @Override
        boolean isWaiting(long connectionId) {
            return false;
        }

        @Override
        void cancel(long connectionId) {
        }

        @Override
        public void close() {
        }
    }
}
