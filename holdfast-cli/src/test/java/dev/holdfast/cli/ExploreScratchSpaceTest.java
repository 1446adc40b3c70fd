package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * {@code holdfast explore --url} resets its database before every schedule; it must do that in a schema or database
 * of its own and leave the user's data alone.
 */
class ExploreScratchSpaceTest {

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void exploreLeavesTheDatabaseItWasPointedAtAlone(TestDatabase t) throws Exception {
        try (Connection c = t.connect(); Statement st = c.createStatement()) {
            st.execute("create table precious (id int primary key)");
            st.execute("insert into precious values (42)");
        }

        ExploreCommandTest.Result r = ExploreCommandTest.run("explore", "--url", t.url(), "--user", t.user(),
                "--password", t.password() == null ? "" : t.password(), "--scenario", "django-bug-3-counter");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("django-bug-3-counter");
        try (Connection c = t.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from precious")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        String leftovers = t.kind() == DatabaseKind.POSTGRES
                ? "select count(*) from information_schema.schemata where schema_name like 'hf_explore_%'"
                : "select count(*) from information_schema.schemata where schema_name like 'hf\\_explore\\_%'";
        try (Connection c = t.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(leftovers)) {
            rs.next();
            assertThat(rs.getInt(1)).as("the scratch schema or database is dropped at the end").isZero();
        }
    }
}
