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
        if (kind == Kind.MARIADB) {
            // Connection.reset() then sends COM_RESET_CONNECTION, which resets the session on the server too
            // (resetForReuse); without it the driver resets only its own view.
            p.setProperty("useResetConnection", "true");
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
                case POSTGRES -> id = scalar(st, "select pg_backend_pid()");
                case MARIADB -> id = scalar(st, "select connection_id()");
                case SQLITE -> { }
            }
            actorSession(c, st, isolation, deadlockTimeout);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new ActorConnection(c, id, isolation == null || kind == Kind.SQLITE ? -1 : isolation.jdbcLevel());
    }

    /** The session settings of an actor's connection, on a new connection and again after a reset. */
    private void actorSession(Connection c, Statement st, Isolation isolation, Duration deadlockTimeout)
            throws SQLException {
        switch (kind) {
            case POSTGRES -> {
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
            case MARIADB -> { }
            case SQLITE -> st.execute("PRAGMA busy_timeout = 0");
        }
        if (isolation != null && kind != Kind.SQLITE) {
            c.setTransactionIsolation(isolation.jdbcLevel());
        }
    }

    /**
     * Puts an actor's connection back to the session a new one starts with, for the next schedule: the transaction
     * rolled back, then on PostgreSQL {@code DISCARD ALL} (settings, temporary tables, prepared statements, advisory
     * locks, LISTEN) and on MariaDB the driver's {@code reset()} (COM_RESET_CONNECTION: settings, user variables,
     * temporary tables, named locks, prepared statements; and the driver's own view of autocommit, isolation,
     * database and read-only), followed by the settings {@link #openForActor} makes. The connection keeps its id,
     * which the blocked-step detector knows it by.
     *
     * @throws SQLException when the session cannot be reset: the connection must be closed instead
     */
    void resetForReuse(ActorConnection ac, Isolation isolation, Duration deadlockTimeout) throws SQLException {
        Connection c = ac.raw;
        if (c.isClosed()) {
            throw new SQLException("closed");
        }
        if (!c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
        switch (kind) {
            case POSTGRES -> {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");   // a transaction begun with SQL; a warning only when there is none
                    st.execute("DISCARD ALL");
                    st.execute("SET synchronous_commit = off");
                    if (c.isReadOnly()) {
                        c.setReadOnly(false);
                    }
                    actorSession(c, st, isolation, deadlockTimeout);
                }
            }
            case MARIADB -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SET @holdfast_reset_probe = 1");
                }
                resetMariaDb(c);
                try (Statement st = c.createStatement()) {
                    // Proof that the server's session was reset (a user variable is gone) on the same connection id.
                    String serverLevel;
                    try (ResultSet rs = st.executeQuery(
                            "SELECT @holdfast_reset_probe IS NULL, connection_id(), @@session.tx_isolation")) {
                        if (!rs.next() || !rs.getBoolean(1) || rs.getLong(2) != ac.id) {
                            throw new SQLException("COM_RESET_CONNECTION did not reset the session");
                        }
                        serverLevel = rs.getString(3);
                    }
                    // The driver keeps the level an actor chose in its cache after the reset; a SET it tracks
                    // tells it the server's, or a later setTransactionIsolation to the cached level would not be sent.
                    st.execute("SET SESSION TRANSACTION ISOLATION LEVEL " + serverLevel.replace('-', ' '));
                    actorSession(c, st, isolation, deadlockTimeout);
                }
            }
            case SQLITE -> throw new SQLException("SQLite connections are not reused");
        }
        ac.sessionReset();
    }

    /**
     * COM_RESET_CONNECTION through MariaDB Connector/J, then the session statement the driver sends when it connects
     * ({@code sql_mode}, {@code session_track_system_variables}, {@code session_track_schema}, ...): the reset
     * returns those to the server's defaults too, and without session tracking the driver's cached isolation level
     * goes stale (it then skips a {@code setTransactionIsolation} it believes is already in force).
     */
    private static void resetMariaDb(Connection c) throws SQLException {
        org.mariadb.jdbc.Connection m;
        try {
            m = c.unwrap(org.mariadb.jdbc.Connection.class);
        } catch (SQLException | NoClassDefFoundError notMariaDbConnectorJ) {
            throw new SQLException("not MariaDB Connector/J: no session reset, the connection is not reused");
        }
        m.reset();
        if (!(m.getClient() instanceof org.mariadb.jdbc.client.impl.StandardClient client)) {
            throw new SQLException("unknown MariaDB client: the connection is not reused");
        }
        try (Statement st = c.createStatement()) {
            st.execute(client.createSessionVariableQuery(m.getContext()));
        }
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
