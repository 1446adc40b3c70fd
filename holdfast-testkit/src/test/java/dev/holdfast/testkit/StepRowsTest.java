package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/** A query's step carries its result in full — column labels and every column of each row moved to — for conformance checks. */
class StepRowsTest {

    @EachDatabase
    void aQueryStepHasItsColumnsAndWholeRows(TestDatabase tdb) {
        JdbcActor readFirstId = ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id, qty, note from item order by id")) {
                rs.next();
                rs.getInt(1);   // reads one value of one row: the summary shows that, the rows show the whole row
            }
        };
        JdbcActor readAll = ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id, qty, note from item order by id")) {
                while (rs.next()) {
                    rs.getInt(1);
                }
            }
        };
        Run run = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table item (id int primary key, qty int not null, note varchar(10))");
                    db.execute("insert into item (id, qty, note) values (1, 10, 'a'), (2, 20, null)");
                })
                .jdbcActor("A", readFirstId).jdbcActor("B", readAll)
                .build()
                .run(Schedule.parse("A B"));

        Step a = run.trace().stepsOf("A").get(0);
        assertThat(a.result()).isEqualTo("(1)");
        assertThat(a.columns()).containsExactly("id", "qty", "note");
        assertThat(a.rows()).containsExactly(List.of("1", "10", "a"));
        Step b = run.trace().stepsOf("B").get(0);
        assertThat(b.rows()).containsExactly(List.of("1", "10", "a"), Arrays.asList("2", "20", null));
    }
}
