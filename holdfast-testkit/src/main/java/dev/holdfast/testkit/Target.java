package dev.holdfast.testkit;

import dev.holdfast.Isolation;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/** The database under test: how to open plain connections, and actor connections set up for stepping. */
final class Target {
    /**
     * The interleaver's own names for the databases, so that running on a URL (the CLI's audit) needs nothing from
     * {@code holdfast-testdb} at run time.
     */
    enum Kind { SQLITE, POSTGRES, MARIADB }

    final Kind kind;
    final String url;
    /** True for a test database made for this test ({@code @EachDatabase}): whatever is in it may be dropped. */
    final boolean madeForTheTest;
    private final String user;
    private final String password;

    Target(Kind kind, String url, String user, String password, boolean madeForTheTest) {
        this.kind = kind;
        this.madeForTheTest = madeForTheTest;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static Target of(TestDatabase tdb) {
        return new Target(Kind.valueOf(tdb.kind().name()), tdb.url(), tdb.user(), tdb.password(), true);
    }

    static Target of(String url, String user, String password) {
        String u = url.toLowerCase(Locale.ROOT);
        Kind kind = u.startsWith("jdbc:sqlite:") ? Kind.SQLITE
                : u.startsWith("jdbc:postgresql:") ? Kind.POSTGRES
                : u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:") ? Kind.MARIADB
                : null;
        if (kind == null) {
            throw new IllegalArgumentException("The interleaver runs on jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: "
                    + "or jdbc:mysql: URLs, got " + url);
        }
        return new Target(kind, url, user, password, false);
    }

    /** A plain connection in autocommit mode. */
    Connection open() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        Connection c = DriverManager.getConnection(url, p);
        try (Statement st = c.createStatement()) {
            switch (kind) {
                // Tests need no durability across a power cut; not waiting for the WAL flush makes each commit cheap.
                case POSTGRES -> st.execute("SET synchronous_commit = off");
                case SQLITE -> st.execute("PRAGMA synchronous = OFF");
                case MARIADB -> { }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * A connection for an actor, and its id in the database (PostgreSQL backend pid, MariaDB connection id) for the
     * blocked-step detector, at {@code isolation} when not {@code null} (SQLite is always serializable). On
     * PostgreSQL {@code deadlock_timeout} is {@code deadlockTimeout}, or an hour when {@code null} (the scheduler ends
     * deadlocks itself). On SQLite the busy timeout is 0, so a step that would wait fails at once with SQLITE_BUSY
     * and the scheduler can run another actor.
     */
    ActorConnection openForActor(Isolation isolation, Duration deadlockTimeout) throws SQLException {
        Connection c = open();
        long id = 0;
        try (Statement st = c.createStatement()) {
            switch (kind) {
                case POSTGRES -> {
                    id = scalar(st, "select pg_backend_pid()");
                    try {
                        // Unless the user asked for PostgreSQL's own detection, the scheduler ends deadlocks itself
                        // and deterministically (ScheduleRun.endADeadlock): PostgreSQL's timer must not beat it.
                        // Only a superuser may change it; without that the server's setting stays.
                        st.execute("SET deadlock_timeout = '" + (deadlockTimeout == null ? "1h"
                                : Math.max(1, deadlockTimeout.toMillis()) + "ms") + "'");
                    } catch (SQLException notSuperuser) {
                        // keep the server's setting
                    }
                }
                case MARIADB -> id = scalar(st, "select connection_id()");
                case SQLITE -> st.execute("PRAGMA busy_timeout = 0");
            }
            if (isolation != null && kind != Kind.SQLITE) {
                c.setTransactionIsolation(isolation.jdbcLevel());
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new ActorConnection(c, id, isolation == null || kind == Kind.SQLITE ? -1 : isolation.jdbcLevel());
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + url.replaceAll("password=[^&]*", "password=***");
    }
}
