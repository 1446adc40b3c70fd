package dev.holdfast.testdb;

import dev.holdfast.testdb.internal.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * A running PostgreSQL or MariaDB server that test databases are created in: its admin URL (with the user in the
 * query), the credentials, and where it came from (an environment variable or an embedded server).
 */
record Server(DatabaseKind kind, JdbcUrl url, String user, String password, String origin) {

    /** The file on the test classpath that may name the servers, for builds that cannot set variables. */
    static final String PROPERTIES_FILE = "holdfast-test.properties";

    /**
     * The server the user configured for this kind, or {@code null} when none is. The first of these that sets the URL
     * wins, and the user and password are read from the same place: the system properties {@code holdfast.pg.url}
     * ({@code .user}, {@code .password}; {@code holdfast.mariadb.*} for MariaDB), the environment variables
     * {@code HOLDFAST_PG_URL} ({@code _USER}, {@code _PASSWORD}; {@code HOLDFAST_MARIADB_*}), then the same keys as
     * the system properties in {@code holdfast-test.properties} on the test classpath. A user and password missing
     * there are taken from the URL's query, and written into it so the URL alone is enough for DriverManager or a pool.
     */
    static Server configured(DatabaseKind kind) {
        String env = envPrefix(kind);
        String prop = propertyPrefix(kind);
        Server server = from(kind, System.getProperty(prop + ".url"), System.getProperty(prop + ".user"),
                System.getProperty(prop + ".password"), "system property " + prop + ".url");
        if (server == null) {
            server = from(kind, System.getenv(env + "_URL"), System.getenv(env + "_USER"), System.getenv(env + "_PASSWORD"),
                    env + "_URL");
        }
        if (server == null) {
            Properties file = propertiesFile();
            server = from(kind, file.getProperty(prop + ".url"), file.getProperty(prop + ".user"),
                    file.getProperty(prop + ".password"), prop + ".url in " + PROPERTIES_FILE);
        }
        return server;
    }

    /**
     * Starts the embedded server for this kind from {@code holdfast-testdb-embedded} when that artifact is on the
     * classpath; otherwise fails with {@link #notConfigured}.
     */
    static Server embedded(DatabaseKind kind) {
        for (EmbeddedServer candidate : ServiceLoader.load(EmbeddedServer.class, Server.class.getClassLoader())) {
            if (candidate.kind() == kind) {
                long start = System.nanoTime();
                EmbeddedServer.Started started = candidate.start();
                Server server = new Server(kind, JdbcUrl.parse(started.url()), started.user(), started.password(),
                        started.description()).withCredentialsInUrl();
                System.err.println("holdfast-testdb: " + server.describe() + ", started in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
                return server;
            }
        }
        throw new IllegalStateException(notConfigured(kind));
    }

    /** {@code HOLDFAST_PG} or {@code HOLDFAST_MARIADB}. */
    static String envPrefix(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRES ? "HOLDFAST_PG" : "HOLDFAST_MARIADB";
    }

    /** {@code holdfast.pg} or {@code holdfast.mariadb}. */
    static String propertyPrefix(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRES ? "holdfast.pg" : "holdfast.mariadb";
    }

    private static Server from(DatabaseKind kind, String raw, String user, String password, String origin) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        JdbcUrl url = JdbcUrl.parse(raw.trim());
        String u = firstNonBlank(user, url.param("user"), System.getProperty("user.name"));
        String p = firstNonBlank(password, url.param("password"), "");
        return new Server(kind, url, u, p, origin).withCredentialsInUrl();
    }

    private static Properties propertiesFile() {
        Properties properties = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : Server.class.getClassLoader()).getResourceAsStream(PROPERTIES_FILE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + PROPERTIES_FILE + " from the test classpath", e);
        }
        return properties;
    }

    /**
     * The one-line answer to "why did my test not get a database": which database, and every way to name one.
     */
    static String notConfigured(DatabaseKind kind) {
        String example = kind == DatabaseKind.POSTGRES ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
                : "jdbc:mariadb://127.0.0.1:3306/test?user=root";
        String name = kind == DatabaseKind.POSTGRES ? "PostgreSQL" : "MariaDB";
        return "No " + name + " server for this test: set " + envPrefix(kind) + "_URL (e.g. export " + envPrefix(kind)
                + "_URL='" + example + "'), or -D" + propertyPrefix(kind) + ".url=..., or " + propertyPrefix(kind)
                + ".url in " + PROPERTIES_FILE + " on the test classpath; or add the test dependency"
                + " dev.holdfast:holdfast-testdb-embedded to start an embedded " + name + " (see docs/testing.md)";
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
