package dev.holdfast.internal.dialect;

import java.lang.reflect.Method;
import java.sql.SQLException;

/**
 * SQLite: errors are told apart by the extended result code. {@code getErrorCode()} gives only the primary code (5 for
 * both SQLITE_BUSY and SQLITE_BUSY_SNAPSHOT), so the extended code is read from sqlite-jdbc's
 * {@code SQLiteException.getResultCode()} — through reflection, since the driver is the user's runtime choice — or,
 * failing that, from the {@code [SQLITE_…]} tag the driver puts at the start of every message.
 */
public final class SqliteDialect implements Dialect {
    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public ErrorKind classify(SQLException e) {
        String code = resultCode(e);
        if (code == null) {
            return ErrorKind.OTHER;
        }
        return switch (code) {
            case "SQLITE_BUSY_SNAPSHOT" -> ErrorKind.SERIALIZATION;
            case "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_ROWID" -> ErrorKind.UNIQUE;
            case "SQLITE_CONSTRAINT_FOREIGNKEY" -> ErrorKind.FOREIGN_KEY;
            case "SQLITE_CONSTRAINT_NOTNULL" -> ErrorKind.NOT_NULL;
            case "SQLITE_CONSTRAINT_CHECK" -> ErrorKind.CHECK;
            case "SQLITE_INTERRUPT" -> ErrorKind.QUERY_TIMEOUT;
            case "SQLITE_FULL" -> ErrorKind.DISK_FULL;
            case "SQLITE_TOOBIG" -> ErrorKind.VALUE_TOO_LONG;
            default -> code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
                    ? ErrorKind.BUSY : ErrorKind.OTHER;
        };
    }

    @Override
    public String connectionHint(SQLException e) {
        String code = resultCode(e);
        if (code != null && code.startsWith("SQLITE_CANTOPEN")) {
            return "the file cannot be opened; check that its directory exists and is writable";
        }
        if (code != null && code.startsWith("SQLITE_NOTADB")) {
            return "the file is not an SQLite database";
        }
        return null;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public int defaultIsolationLevel() {
        return java.sql.Connection.TRANSACTION_SERIALIZABLE;
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        return false;   // an embedded file has no connection to lose
    }

    /** The extended result code's name, e.g. {@code SQLITE_BUSY_SNAPSHOT}, or {@code null}. */
    public static String resultCode(SQLException e) {
        Method getResultCode = RESULT_CODE.get(e.getClass());
        if (getResultCode != null) {
            try {
                if (getResultCode.invoke(e) instanceof Enum<?> code) {
                    return code.name();
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // fall back to the message tag
            }
        }
        String msg = e.getMessage();
        if (msg != null && msg.startsWith("[SQLITE_")) {
            int end = msg.indexOf(']');
            if (end > 0) {
                return msg.substring(1, end);
            }
        }
        return null;
    }

    /**
     * sqlite-jdbc's {@code getResultCode()} per exception class, looked up once: a multi-process writer classifies a
     * busy error on every collision, and a reflective lookup per exception would be the most expensive part of it.
     */
    private static final ClassValue<Method> RESULT_CODE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("getResultCode");
            } catch (NoSuchMethodException notSqliteJdbc) {
                return null;
            }
        }
    };
}
