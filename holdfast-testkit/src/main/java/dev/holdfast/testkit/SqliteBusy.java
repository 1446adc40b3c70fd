package dev.holdfast.testkit;

import java.sql.SQLException;

/**
 * Tells SQLite's "the database is locked, try again" (SQLITE_BUSY, SQLITE_LOCKED) from SQLITE_BUSY_SNAPSHOT, which
 * no retry of the same statement can cure (the transaction's snapshot is too old: the whole transaction must run
 * again, and Holdfast's retry loop does that).
 */
final class SqliteBusy {
    private SqliteBusy() {
    }

    static boolean is(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return false;
        }
        return (m.startsWith("[SQLITE_BUSY]") || m.startsWith("[SQLITE_LOCKED]"))
                || ((e.getErrorCode() == 5 || e.getErrorCode() == 6) && !m.contains("SNAPSHOT"));
    }
}
