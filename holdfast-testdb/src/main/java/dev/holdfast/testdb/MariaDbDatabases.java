package dev.holdfast.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Fresh MariaDB test databases: one database each, on the server from {@code HOLDFAST_MARIADB_URL} or an embedded one. */
final class MariaDbDatabases {
    private static final Once<Server> SERVER = new Once<>(MariaDbDatabases::locate);

    private MariaDbDatabases() {}

    static TestDatabase fresh() {
        Server server = SERVER.get();
        String database = TestDatabases.randomName();
        try (Connection c = admin(server); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " on " + server.describe() + ": " + e.getMessage(), e);
        }
        String url = server.url().withDatabase(database).toString();
        return new TestDatabase(DatabaseKind.MARIADB, url, server.user(), server.password(), () -> drop(server, database));
    }

    /**
     * DROP DATABASE waits for metadata locks, so a connection the test leaked inside a transaction would hang it.
     * Anyone still connected to this random, private database is a leak: kill them first, then drop with a lock
     * wait timeout.
     */
    private static void drop(Server server, String database) throws SQLException {
        try (Connection c = admin(server); Statement st = c.createStatement()) {
            List<Long> leaked = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        leaked.add(rs.getLong(1));
                    }
                }
            }
            for (long id : leaked) {
                try {
                    st.execute("KILL " + id);
                } catch (SQLException gone) {
                    // the connection ended on its own in the meantime
                }
            }
            st.execute("SET SESSION lock_wait_timeout = 10");
            st.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    private static Connection admin(Server server) throws SQLException {
        return server.connect(server.url().withDatabase(""), adminProperties());
    }

    private static Server locate() {
        Server env = Server.configured(DatabaseKind.MARIADB);
        if (env == null) {
            return Server.embedded(DatabaseKind.MARIADB);
        }
        try (Connection c = admin(env); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            System.err.println("holdfast-testdb: " + env.describe() + " (" + rs.getString(1) + ")");
            return env;
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB from " + env.origin() + " " + env.url().redacted() + " (user " + env.user()
                    + ") cannot be used: " + String.valueOf(e.getMessage()).replaceAll("\\.$", "")
                    + ". Start that server or fix the URL.", e);
        }
    }

    static Properties adminProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "10000");
        p.setProperty("socketTimeout", "60000");
        return p;
    }
}
