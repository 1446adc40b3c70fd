package dev.holdfast.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestDatabasesTest {

    @EachDatabase
    void aFreshDatabaseIsEmptyAndWritable(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertTrue(c.getAutoCommit());
            assertEquals(0, countTables(db, c));
            st.execute("create table counter (id int primary key, n int not null)");
            st.execute("insert into counter (id, n) values (1, 41)");
            st.executeUpdate("update counter set n = n + 1 where id = 1");
            try (ResultSet rs = st.executeQuery("select n from counter where id = 1")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    @EachDatabase
    void theUrlWorksWithoutTheCredentialAccessors(TestDatabase db) throws SQLException {
        switch (db.kind()) {
            case SQLITE -> {
                assertTrue(db.url().startsWith("jdbc:sqlite:/"), db.url());
                assertNull(db.user());
            }
            case POSTGRES -> {
                assertTrue(db.url().startsWith("jdbc:postgresql://"), db.url());
                assertTrue(db.url().contains("currentSchema=hf_"), db.url());
                assertNotNull(db.user());
                assertNotNull(db.password());
            }
            case MARIADB -> {
                assertTrue(db.url().startsWith("jdbc:mariadb://"), db.url());
                assertNotNull(db.user());
                assertNotNull(db.password());
            }
        }
        // unqualified tables land in the test database, through a connection made from the URL alone
        try (Connection c = DriverManager.getConnection(db.url(), new Properties()); Statement st = c.createStatement()) {
            st.execute("create table thing (id int primary key)");
        }
        try (Connection c = db.connect()) {
            assertEquals(1, countTables(db, c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DatabaseKind.class)
    void twoFreshDatabasesDoNotSeeEachOthersTables(DatabaseKind kind) throws SQLException {
        try (TestDatabase a = TestDatabases.fresh(kind); TestDatabase b = TestDatabases.fresh(kind)) {
            assertFalse(a.url().equals(b.url()));
            try (Connection ca = a.connect(); Connection cb = b.connect(); Statement sa = ca.createStatement();
                 Statement sb = cb.createStatement()) {
                sa.execute("create table only_in_a (id int)");
                assertThrows(SQLException.class, () -> sb.executeQuery("select * from only_in_a").close());
                sb.execute("create table only_in_a (id int)"); // the same name is free in b
                assertEquals(1, countTables(a, ca));
                assertEquals(1, countTables(b, cb));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DatabaseKind.class)
    void closeDropsTheDatabaseEvenWithALeakedOpenTransaction(DatabaseKind kind) throws SQLException {
        TestDatabase db = TestDatabases.fresh(kind);
        Connection leaked = db.connect();
        try {
            try (Statement st = leaked.createStatement()) {
                st.execute("create table gone (id int)");
                leaked.setAutoCommit(false);
                st.execute("insert into gone values (1)"); // holds locks until the transaction ends
            }
            assertTimeoutPreemptively(Duration.ofSeconds(30), db::close);
            assertFalse(exists(db), db.url() + " still exists after close()");
        } finally {
            try {
                leaked.close();
            } catch (SQLException terminated) {
                // expected on PostgreSQL and MariaDB: the drop ended this connection
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DatabaseKind.class)
    void closeIsIdempotent(DatabaseKind kind) throws SQLException {
        TestDatabase db = TestDatabases.fresh(kind);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create table kept (id int)");
        }
        assertTrue(exists(db));
        db.close(); // throws when the drop fails
        assertFalse(exists(db), db.url() + " still exists after close()");
        db.close(); // the second call drops nothing and reports nothing
        assertFalse(exists(db));
    }

    /**
     * A drop that fails is an exception naming the database, not a line on stderr: a test that leaves a database
     * behind must see it. Here the SQLite file's path is taken by a non-empty directory, so deleting it really fails.
     */
    @org.junit.jupiter.api.Test
    void closeReportsADropThatFails() throws Exception {
        TestDatabase db = TestDatabases.fresh(DatabaseKind.SQLITE);
        Path file = Path.of(db.url().substring("jdbc:sqlite:".length()));
        Files.createDirectories(file);
        Files.writeString(file.resolve("in-the-way"), "x");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, db::close);
            assertTrue(e.getMessage().startsWith("could not drop the sqlite test database " + db.url()), e.getMessage());
            db.close(); // idempotent: reported once
        } finally {
            Files.delete(file.resolve("in-the-way"));
            Files.delete(file);
        }
    }

    /** Counts the base tables in the test database the connection is pointed at. */
    private static int countTables(TestDatabase db, Connection c) throws SQLException {
        String sql = switch (db.kind()) {
            case SQLITE -> "select count(*) from sqlite_master where type = 'table'";
            case POSTGRES -> "select count(*) from information_schema.tables where table_schema = current_schema()";
            case MARIADB -> "select count(*) from information_schema.tables where table_schema = database()";
        };
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean exists(TestDatabase db) throws SQLException {
        JdbcUrl url = JdbcUrl.parse(db.url());
        return switch (db.kind()) {
            case SQLITE -> Files.exists(Path.of(db.url().substring("jdbc:sqlite:".length())));
            case POSTGRES -> schemaExists(url.toString(), db, url.param("currentSchema"));
            case MARIADB -> schemaExists(url.withDatabase("").toString(), db, databaseName(db.url()));
        };
    }

    private static boolean schemaExists(String url, TestDatabase db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
             PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.schemata where schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static String databaseName(String url) {
        String path = url.substring(url.indexOf('/', url.indexOf("//") + 2) + 1);
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
