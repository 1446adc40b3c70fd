package dev.holdfast.internal.dialect;

import java.sql.SQLException;

/** MariaDB and MySQL: errors are told apart by the server's error number. */
public final class MariaDbDialect implements Dialect {
    public static final MariaDbDialect INSTANCE = new MariaDbDialect();

    private MariaDbDialect() {
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public ErrorKind classify(SQLException e) {
        return switch (e.getErrorCode()) {
            case 1213 -> ErrorKind.DEADLOCK;
            case 1205, 3572 -> ErrorKind.LOCK_TIMEOUT;         // lock wait timeout; MySQL's NOWAIT failure
            case 1020 -> ErrorKind.SERIALIZATION;              // "Record has changed since last read"
            case 1062, 1586 -> ErrorKind.UNIQUE;
            case 1451, 1452, 1216, 1217 -> ErrorKind.FOREIGN_KEY;
            case 1048, 1364 -> ErrorKind.NOT_NULL;
            case 4025, 3819 -> ErrorKind.CHECK;
            case 1969, 3024 -> ErrorKind.QUERY_TIMEOUT;        // max_statement_time; MySQL's max_execution_time
            case 1406 -> ErrorKind.VALUE_TOO_LONG;             // strict mode; without it the server truncates
            case 1264, 1690 -> ErrorKind.NUMERIC_OVERFLOW;     // out of range for the column; BIGINT arithmetic
            case 1292 -> ErrorKind.BAD_DATETIME;
            case 1114, 1021 -> ErrorKind.DISK_FULL;            // the table is full; the disk is full
            default -> {
                String state = e.getSQLState();
                if ("40001".equals(state)) {
                    yield ErrorKind.SERIALIZATION;
                }
                ErrorKind data = ErrorKind.ofDataState(state);
                if (data != null) {
                    yield data;
                }
                if ("70100".equals(state)) {
                    yield ErrorKind.QUERY_TIMEOUT;               // the driver's own cancel on setQueryTimeout
                }
                yield isConnectionLost(e) ? ErrorKind.CONNECTION : ErrorKind.OTHER;
            }
        };
    }

    @Override
    public String connectionHint(SQLException e) {
        return switch (e.getErrorCode()) {
            case 1045 -> "the server refused the user or password; check them";
            case 1049 -> "the database does not exist; create it or fix the database name in the URL";
            case 1044 -> "the user may not use this database; GRANT it or use another user";
            default -> {
                String state = e.getSQLState();
                yield state != null && state.startsWith("08")
                        ? "the server did not answer; check the host and port, and that MariaDB is running" : null;
            }
        };
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public int defaultIsolationLevel() {
        return java.sql.Connection.TRANSACTION_READ_COMMITTED;
    }
}
