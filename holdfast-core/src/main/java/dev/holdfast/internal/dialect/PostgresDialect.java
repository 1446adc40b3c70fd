package dev.holdfast.internal.dialect;

import java.sql.SQLException;

/** PostgreSQL: errors are told apart by SQLState (Appendix A of the PostgreSQL manual). */
public final class PostgresDialect implements Dialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public ErrorKind classify(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return isConnectionLost(e) ? ErrorKind.CONNECTION : ErrorKind.OTHER;
        }
        return switch (state) {
            case "40001" -> ErrorKind.SERIALIZATION;
            case "40P01" -> ErrorKind.DEADLOCK;
            case "55P03" -> ErrorKind.LOCK_TIMEOUT;
            case "23505" -> ErrorKind.UNIQUE;
            case "23503" -> ErrorKind.FOREIGN_KEY;
            case "23502" -> ErrorKind.NOT_NULL;
            case "23514" -> ErrorKind.CHECK;
            case "57014" -> ErrorKind.QUERY_TIMEOUT;
            case "53100" -> ErrorKind.DISK_FULL;
            default -> state.startsWith("22") ? ErrorKind.ofDataState(state)
                    : state.startsWith("08") || state.startsWith("57P") ? ErrorKind.CONNECTION : ErrorKind.OTHER;
        };
    }

    @Override
    public String connectionHint(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "28P01", "28000" -> "the server refused the user or password; check them (and pg_hba.conf)";
            case "3D000" -> "the database does not exist; create it or fix the database name in the URL";
            case "08001", "08004", "08006" -> "the server did not answer; check the host and port, and that PostgreSQL is running";
            default -> null;
        };
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        // 57P01-57P03: the server is shutting down or an administrator ended the session
        String state = e.getSQLState();
        return Dialect.super.isConnectionLost(e) || (state != null && state.startsWith("57P"));
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public int defaultIsolationLevel() {
        return java.sql.Connection.TRANSACTION_READ_COMMITTED;
    }
}
