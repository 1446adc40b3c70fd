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
            case POSTGRES -> new Monitor(target.open(),
                    "select cardinality(pg_blocking_pids(?::int)) > 0",
                    "select pg_cancel_backend(?::int)");
            case MARIADB -> new Monitor(target.open(),
                    "select count(*) > 0 from information_schema.innodb_trx "
                            + "where trx_mysql_thread_id = ? and trx_state = 'LOCK WAIT'",
                    null);
            case SQLITE -> new None();
        };
    }

    /** PostgreSQL ({@code pg_blocking_pids}) and MariaDB ({@code information_schema.innodb_trx}). */
    private static final class Monitor extends BlockedStepDetector {
        private final Connection connection;
        private final PreparedStatement waiting;
        private final String cancelSql;

        Monitor(Connection connection, String waitingSql, String cancelSql) throws SQLException {
            this.connection = connection;
            this.waiting = connection.prepareStatement(waitingSql);
            this.cancelSql = cancelSql;
        }

        @Override
        synchronized boolean isWaiting(long connectionId) throws SQLException {
            waiting.setLong(1, connectionId);
            try (ResultSet rs = waiting.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }

        @Override
        synchronized void cancel(long connectionId) {
            try (Statement st = connection.createStatement()) {
                if (cancelSql != null) {
                    try (PreparedStatement ps = connection.prepareStatement(cancelSql)) {
                        ps.setLong(1, connectionId);
                        ps.execute();
                    }
                } else {
                    st.execute("KILL QUERY " + connectionId);
                }
            } catch (SQLException e) {
                // the statement may have ended meanwhile; closing its connection ends it in any case
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
