package dev.holdfast.internal.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * Enforces a transaction's deadline inside SQLite. sqlite-jdbc does not cancel a running statement on
 * {@code setQueryTimeout}, so a statement of a transaction that ran out of time would run on, holding the writer (and
 * with it every write of the process). A progress handler, called by SQLite every {@link #STEPS} virtual-machine
 * steps, interrupts the statement once the deadline has passed: it fails with {@code SQLITE_INTERRUPT}, and the
 * transaction rolls back.
 */
public final class SqliteDeadline {
    /** Steps between two looks at the clock: microseconds of work, so an overrun stops within a millisecond. */
    private static final int STEPS = 1000;

    private SqliteDeadline() {
    }

    /** Interrupts any statement of {@code connection} still running at {@code deadlineNanos} ({@code nanoTime}). */
    public static void arm(Connection connection, long deadlineNanos) throws SQLException {
        ProgressHandler.setHandler(connection.unwrap(SQLiteConnection.class), STEPS, new ProgressHandler() {
            @Override
            protected int progress() {
                return System.nanoTime() - deadlineNanos >= 0 ? 1 : 0;
            }
        });
    }

    /** Removes the handler set by {@link #arm}. */
    public static void disarm(Connection connection) throws SQLException {
        ProgressHandler.clearHandler(connection.unwrap(SQLiteConnection.class));
    }
}
