package dev.holdfast.testkit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asks the database whether an actor's statement is waiting for a lock, from a monitor connection of its own — the
 * way PostgreSQL's isolation tester does — so that the scheduler knows the step is blocked, not slow, and lets the
 * other actors go on. SQLite needs no monitor: actor connections have a busy timeout of 0, so a step that would wait
 * fails at once with SQLITE_BUSY (see {@link ScheduleRun}).
 */
abstract class BlockedStepDetector implements AutoCloseable {

    /** True when the connection with this id is waiting for a lock held by another transaction. */
    abstract boolean isWaiting(long connectionId) throws SQLException;

    /**
     * The ids of the connections this one waits for, when the database can say (PostgreSQL); empty when it is not
     * waiting or the database cannot name them (it detects deadlocks itself, at once: MariaDB, SQLite).
     */
    Set<Long> blockers(long connectionId) throws SQLException {
        return Set.of();
    }

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

    /**
     * PostgreSQL: {@code pg_blocking_pids} for lock waits and {@code pg_safe_snapshot_blocking_pids} for a
     * {@code SERIALIZABLE READ ONLY DEFERRABLE} transaction waiting for a safe snapshot — the two checks PostgreSQL's
     * own isolation tester makes.
     */
    private static final class PgBlockingPids extends OnMonitorConnection {
        private final PreparedStatement blockers;

        PgBlockingPids(Connection connection) throws SQLException {
            super(connection);
            this.blockers = connection.prepareStatement(
                    "select pg_blocking_pids(?::int) || pg_safe_snapshot_blocking_pids(?::int)");
        }

        @Override
        synchronized boolean isWaiting(long connectionId) throws SQLException {
            return !blockers(connectionId).isEmpty();
        }

        @Override
        synchronized Set<Long> blockers(long connectionId) throws SQLException {
            blockers.setLong(1, connectionId);
            blockers.setLong(2, connectionId);
            Set<Long> out = new TreeSet<>();
            try (ResultSet rs = blockers.executeQuery()) {
                if (rs.next()) {
                    Array a = rs.getArray(1);
                    if (a != null) {
                        for (Object pid : (Object[]) a.getArray()) {
                            out.add(((Number) pid).longValue());
                        }
                    }
                }
            }
            return out;
        }

        @Override
        String cancelSql(long connectionId) {
            return "select pg_cancel_backend(" + connectionId + ")";
        }
    }

    /**
     * MariaDB. A wait on a named lock ({@code GET_LOCK}, which {@code tx.lock} uses) or a metadata lock shows in the
     * process list as the thread's state ({@code User lock}, {@code Waiting for table metadata lock}); InnoDB row lock
     * waits do not, so they are read from {@code SHOW ENGINE INNODB STATUS}, whose TRANSACTIONS section marks a
     * transaction waiting for a row lock with {@code LOCK WAIT} and names its {@code MariaDB thread id} (the
     * connection's {@code connection_id()}). {@code information_schema.innodb_trx} says the same but is served from a
     * cache that InnoDB refreshes only when it was last read more than 100 ms ago: polled more often than that, it
     * never changes.
     */
    private static final class InnoDbMonitor extends OnMonitorConnection {
        private final PreparedStatement state;

        InnoDbMonitor(Connection connection) throws SQLException {
            super(connection);
            this.state = connection.prepareStatement("select state from information_schema.processlist where id = ?");
        }

        @Override
        synchronized boolean isWaiting(long connectionId) throws SQLException {
            state.setLong(1, connectionId);
            try (ResultSet rs = state.executeQuery()) {
                if (rs.next() && waitsOnANamedOrMetadataLock(rs.getString(1))) {
                    return true;
                }
            }
            String status;
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW ENGINE INNODB STATUS")) {
                status = rs.next() ? rs.getString("Status") : "";
            }
            return InnoDbStatus.waitingThreads(status).contains(connectionId);
        }

        static boolean waitsOnANamedOrMetadataLock(String state) {
            return state != null && (state.equals("User lock") || state.startsWith("Waiting for"));
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
