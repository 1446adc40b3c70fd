package dev.holdfast.internal;

import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.Urls;
import java.sql.SQLException;

/** Turns a failure to connect into a message that names the URL and the likely fix. */
public final class ConnectionFailures {
    private ConnectionFailures() {
    }

    /** The exception for a failed connection to {@code url}, with the dialect's hint when it has one. */
    public static ConnectionFailedException connectionFailed(String url, Dialect dialect, Throwable e) {
        SQLException sql = e instanceof SQLException s ? s : findSqlException(e);
        String problem = sql != null ? sql.getMessage() : e.getMessage();
        String hint = sql != null && dialect != null ? dialect.connectionHint(sql) : null;
        String malformed = Urls.malformation(url);
        if (malformed != null) {
            return new ConnectionFailedException("The JDBC URL " + Urls.redact(url) + " is malformed: " + malformed
                    + " (the driver said: " + problem + ")", e);
        }
        if (problem != null && problem.contains("No suitable driver")) {
            String driver = dialect == null ? null : driverClass(dialect);
            if (driver != null && onClassPath(driver)) {
                // DriverManager says "no suitable driver" also when the right driver is there but refused the URL.
                return new ConnectionFailedException("The JDBC URL " + Urls.redact(url) + " is malformed: "
                        + Urls.EXPECTED + ". The " + dialect.name() + " driver (" + driver + ") is on the "
                        + "class path and did not accept it", e);
            }
            hint = "no JDBC driver for this URL is on the class path; add org.xerial:sqlite-jdbc, "
                    + "org.postgresql:postgresql or org.mariadb.jdbc:mariadb-java-client to your dependencies";
        }
        return new ConnectionFailedException("Cannot connect to " + Urls.redact(url) + ": " + problem
                + (hint == null ? "" : " — " + hint), e);
    }

    private static String driverClass(Dialect dialect) {
        return switch (dialect.name()) {
            case "sqlite" -> "org.sqlite.JDBC";
            case "postgresql" -> "org.postgresql.Driver";
            case "mariadb" -> "org.mariadb.jdbc.Driver";
            default -> null;
        };
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, ConnectionFailures.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static SQLException findSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }
}
