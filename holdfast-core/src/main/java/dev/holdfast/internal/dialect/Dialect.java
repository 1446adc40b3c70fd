package dev.holdfast.internal.dialect;

import dev.holdfast.error.HoldfastException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Locale;

/** What differs between SQLite, PostgreSQL and MariaDB/MySQL: error codes, quoting, and SQL spellings. */
public sealed interface Dialect permits SqliteDialect, PostgresDialect, MariaDbDialect {

    /** A short name: {@code sqlite}, {@code postgresql}, {@code mariadb}. */
    String name();

    /** The kind of failure this exception is, from its SQLState and vendor code. */
    ErrorKind classify(SQLException e);

    /** A hint to add to a connection failure's message (wrong password, unknown database, …), or {@code null}. */
    String connectionHint(SQLException e);

    /** Quotes an identifier (table or column name) so that any name, reserved words included, can be used. */
    String quote(String identifier);

    /**
     * The isolation a transaction gets when neither the database nor the transaction names one, as a JDBC level
     * ({@link java.sql.Connection#TRANSACTION_READ_COMMITTED} …).
     */
    int defaultIsolationLevel();

    static Dialect forUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:sqlite:")) {
            return SqliteDialect.INSTANCE;
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return PostgresDialect.INSTANCE;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MariaDbDialect.INSTANCE;
        }
        throw new IllegalArgumentException("Holdfast supports JDBC URLs starting with jdbc:sqlite:, jdbc:postgresql:, "
                + "jdbc:mariadb: or jdbc:mysql:, got " + Urls.redact(url));
    }

    /** The dialect for a {@link java.sql.DatabaseMetaData#getDatabaseProductName()}. */
    static Dialect forProductName(String product) {
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("sqlite")) {
            return SqliteDialect.INSTANCE;
        }
        if (p.contains("postgres")) {
            return PostgresDialect.INSTANCE;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MariaDbDialect.INSTANCE;
        }
        throw new IllegalArgumentException("Holdfast supports SQLite, PostgreSQL and MariaDB/MySQL; this data source is "
                + product);
    }

    /**
     * Turns a driver exception into Holdfast's hierarchy, naming the statement that failed. The original exception
     * stays the cause.
     */
    default HoldfastException translate(SQLException e, String sql) {
        ErrorKind kind = classify(e);
        String what = sql == null ? "The transaction" : "Statement [" + abbreviate(sql) + "]";
        String message = what + " " + kind.phrase + ": " + e.getMessage().strip()
                + " (" + name() + ", SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ")";
        return kind.exception(message, e);
    }

    /** True when the connection is gone (so a COMMIT sent on it has an unknown outcome). */
    default boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException
                || (state != null && state.startsWith("08"));
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }
}
