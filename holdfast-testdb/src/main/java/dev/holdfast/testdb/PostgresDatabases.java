package dev.holdfast.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Fresh PostgreSQL test databases: one schema each, on the server from {@code HOLDFAST_PG_URL} or an embedded one. */
final class PostgresDatabases {
    private static final Once<Server> SERVER = new Once<>(PostgresDatabases::locate);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private PostgresDatabases() {}

    static TestDatabase fresh() {
        Server server = SERVER.get();
        String schema = TestDatabases.randomName();
        try (Connection c = server.connect(server.url(), adminProperties()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + schema + " on " + server.describe() + ": " + e.getMessage(), e);
        }
        String url = server.url().with("currentSchema", schema).toString();
        return new TestDatabase(DatabaseKind.POSTGRES, url, server.user(), server.password(), () -> drop(server, schema));
    }

    /**
     * DROP SCHEMA waits for every lock on its tables, so a connection the test leaked inside an open transaction would
     * hang it. Try with a lock timeout; on timeout, terminate the backends holding locks in the schema and try again.
     */
    private static void drop(Server server, String schema) throws SQLException {
        try (Connection c = server.connect(server.url(), adminProperties()); Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '1s'");
            st.execute("SET statement_timeout = '30s'");
            try {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                return;
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
            }
            int terminated = terminateLockHolders(c, schema);
            System.err.println("holdfast-testdb: terminated " + terminated + " leaked connection(s) holding locks in schema " + schema);
            st.execute("SET lock_timeout = '5s'");
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static int terminateLockHolders(Connection c, String schema) throws SQLException {
        String sql = """
                SELECT pg_terminate_backend(pid) FROM (
                  SELECT DISTINCT l.pid FROM pg_locks l
                  WHERE l.pid <> pg_backend_pid()
                    AND ((l.locktype = 'relation' AND l.relation IN
                           (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?))
                      OR (l.locktype = 'object' AND l.classid = 'pg_namespace'::regclass
                           AND l.objid = (SELECT oid FROM pg_namespace WHERE nspname = ?)))
                ) holders""";
        int terminated = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    terminated += rs.getBoolean(1) ? 1 : 0;
                }
            }
        }
        return terminated;
    }

    private static Server locate() {
        Server env = Server.configured(DatabaseKind.POSTGRES);
        if (env == null) {
            return Server.embedded(DatabaseKind.POSTGRES);
        }
        try (Connection c = env.connect(env.url(), adminProperties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            System.err.println("holdfast-testdb: " + env.describe() + " (PostgreSQL " + rs.getString(1) + ")");
            return env;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL from " + env.origin() + " " + env.url().redacted() + " (user " + env.user()
                    + ") cannot be used: " + String.valueOf(e.getMessage()).replaceAll("\\.$", "")
                    + ". Start that server or fix the URL.", e);
        }
    }

    static Properties adminProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.setProperty("ApplicationName", "holdfast-testdb");
        return p;
    }
}
