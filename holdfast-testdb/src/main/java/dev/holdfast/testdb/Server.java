package dev.holdfast.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A running PostgreSQL or MariaDB server that test databases are created in: its admin URL (with the user in the
 * query), the credentials, and where it came from (an environment variable or an embedded server).
 */
record Server(DatabaseKind kind, JdbcUrl url, String user, String password, String origin) {

    /**
     * Reads {@code <prefix>_URL}, {@code <prefix>_USER} and {@code <prefix>_PASSWORD}; returns {@code null} when the
     * URL variable is unset or blank. The user and password are taken from the URL query when not set separately,
     * and written into it so the URL alone is enough for DriverManager or a pool.
     */
    static Server fromEnvironment(DatabaseKind kind, String prefix) {
        String raw = System.getenv(prefix + "_URL");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        JdbcUrl url = JdbcUrl.parse(raw.trim());
        String user = firstNonBlank(System.getenv(prefix + "_USER"), url.param("user"), System.getProperty("user.name"));
        String password = firstNonBlank(System.getenv(prefix + "_PASSWORD"), url.param("password"), "");
        return new Server(kind, url, user, password, prefix + "_URL").withCredentialsInUrl();
    }

    Server withCredentialsInUrl() {
        JdbcUrl withUser = url;
        if (withUser.param("user") == null && JdbcUrl.isPlain(user)) {
            withUser = withUser.with("user", user);
        }
        if (!password.isEmpty() && withUser.param("password") == null && JdbcUrl.isPlain(password)) {
            withUser = withUser.with("password", password);
        }
        return new Server(kind, withUser, user, password, origin);
    }

    /** An administrative connection; {@code extra} are driver properties such as timeouts. */
    Connection connect(JdbcUrl target, Properties extra) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(extra);
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(target.toString(), properties);
    }

    String describe() {
        return kind.label() + " from " + origin + " " + url.redacted() + " as user " + user;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }
}
