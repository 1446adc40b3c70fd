package dev.holdfast.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One fresh, empty database for one test invocation.
 *
 * <p>On SQLite it is a new file, on PostgreSQL a new schema (the URL's {@code currentSchema} points at it), on
 * MariaDB a new database. {@link #close()} drops it; inside {@link EachDatabase} JUnit closes it when the invocation
 * ends, so a test only ever sees its own tables.
 *
 * <pre>{@code
 * @EachDatabase
 * void counts(TestDatabase db) throws SQLException {
 *     try (Connection c = db.connect()) {
 *         c.createStatement().execute("create table counter (id int primary key, n int)");
 *     }
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {
    /** Drops what {@link TestDatabases} created; called at most once. */
    interface Dropper {
        void drop() throws Exception;
    }

    private final DatabaseKind kind;
    private final String url;
    private final String user;
    private final String password;
    private final Dropper dropper;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(DatabaseKind kind, String url, String user, String password, Dropper dropper) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.dropper = dropper;
    }

    /** Which database this is. */
    public DatabaseKind kind() {
        return kind;
    }

    /**
     * A JDBC URL usable as it is with {@link DriverManager} or a pool such as HikariCP, for example
     * {@code jdbc:sqlite:/tmp/holdfast-sqlite123/hf_1a2b.db} or
     * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=hf_1a2b}.
     */
    public String url() {
        return url;
    }

    /** The user to connect as; {@code null} for SQLite, always set for PostgreSQL and MariaDB. */
    public String user() {
        return user;
    }

    /** The password; {@code null} for SQLite, {@code ""} when the server needs none. */
    public String password() {
        return password;
    }

    /** A new plain JDBC connection to this database, in autocommit mode. The caller closes it. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    /**
     * This database as a {@link javax.sql.DataSource} without a pool: every {@code getConnection()} opens a new plain
     * connection, as {@link #connect()} does. For code under test that takes a {@code DataSource} (an ORM, a race
     * detector's wrapper, Holdfast's {@code Database.builder(DataSource)}).
     */
    public javax.sql.DataSource dataSource() {
        return new ConnectingDataSource(this);
    }

    /**
     * Drops the database (file, schema or database). Idempotent: only the first call drops. A connection the test
     * leaked is ended first (PostgreSQL and MariaDB), so the drop never waits on its locks.
     *
     * @throws IllegalStateException when the drop fails, naming the database left behind; inside {@link EachDatabase}
     *     this fails the test, because a database that cannot be dropped is a leak the test should show
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            dropper.drop();
        } catch (Exception e) {
            throw new IllegalStateException("could not drop the " + this + " test database " + JdbcUrl.parse(url).redacted()
                    + ": " + e, e);
        }
    }

    /** {@code sqlite}, {@code postgres} or {@code mariadb}: the display name of a parameterised invocation. */
    @Override
    public String toString() {
        return kind.label();
    }
}
