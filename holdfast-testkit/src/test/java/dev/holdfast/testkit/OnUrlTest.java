package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/** {@code Interleaver.on(url, ...)} empties the database before every schedule, so it refuses one holding the user's tables. */
class OnUrlTest {

    private static Interleaver.Builder onUrl(TestDatabase tdb) {
        return Interleaver.on(tdb.url(), tdb.user(), tdb.password())
                .setup(db -> db.execute("create table probe (id int primary key)"))
                .actor("A", db -> db.execute("insert into probe (id) values (1)"))
                .finalState("select id from probe");
    }

    @EachDatabase
    void aDatabaseWithTablesNoInterleaverCreatedIsRefusedAndKept(TestDatabase tdb) throws Exception {
        try (Connection c = open(tdb); Statement st = c.createStatement()) {
            st.execute("create table customer (id int primary key)");
            st.execute("insert into customer (id) values (7)");
        }

        assertThatThrownBy(() -> onUrl(tdb).build().explore())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds tables no interleaver created: customer")
                .hasMessageContaining(".keepDatabase()")
                .hasMessageContaining(".dropExistingTables()");
        try (Connection c = open(tdb); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from customer")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }

        // said so: dropped; the interleaver's mark then lets the next interleaver empty it without being told
        assertThat(onUrl(tdb).dropExistingTables().build().explore().outcomes()).containsOnlyKeys("[(1)]");
        assertThat(onUrl(tdb).build().explore().outcomes()).containsOnlyKeys("[(1)]");
    }

    private static Connection open(TestDatabase tdb) throws Exception {
        Properties p = new Properties();
        if (tdb.user() != null) {
            p.setProperty("user", tdb.user());
        }
        if (tdb.password() != null && !tdb.password().isEmpty()) {
            p.setProperty("password", tdb.password());
        }
        return DriverManager.getConnection(tdb.url(), p);
    }
}
