package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** {@link Interleaver#runScript}: a schedule as what each actor sends, the way Hermitage and isolationtester run. */
class RunScriptTest {

    /** An actor that sends these statements in one transaction, then commits; it gives up at the first error. */
    private static JdbcActor sends(String... statements) {
        return ds -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    for (String sql : statements) {
                        st.execute(sql);
                    }
                }
                c.commit();
            } catch (SQLException conflict) {
                // an outcome of the script: the connection's close rolled the transaction back
            }
        };
    }

    private static Interleaver.Builder twoRows(TestDatabase tdb) {
        return Interleaver.on(tdb).setup(db -> {
            db.execute("create table t (id int primary key, v int)");
            db.execute("insert into t (id, v) values (1, 10), (2, 20)");
        });
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anEntryForAWaitingActorIsTakenWhenItGoesOn(TestDatabase tdb) {
        Interleaver il = twoRows(tdb)
                .jdbcActor("T1", sends("update t set v = 11 where id = 1"))
                .jdbcActor("T2", sends("update t set v = 12 where id = 1", "update t set v = 22 where id = 2"))
                .finalState("select id, v from t order by id")
                .build();
        Schedule script = Schedule.parse("T1 T2 T2 T1 T2");

        assertThat(il.run(script).failure()).contains("asks for T2 at step 3, but only [T1]");
        Run run = il.runScript(script);

        assertThat(run.failed()).as(run.report()).isFalse();
        assertThat(run.schedule()).hasToString("T1 T2 T1 T2 T2");   // T2's second update went after T1's commit
        Step waited = run.trace().steps().get(1);
        assertThat(waited.waited()).isEqualTo(Step.Wait.LOCK);
        assertThat(waited.resumedAfter()).isEqualTo(3);              // T1's COMMIT
        assertThat(run.outcome()).isEqualTo("[(1, 12), (2, 22)]");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aStepStillWaitingWhenTheScriptEndsIsCancelled(TestDatabase tdb) throws SQLException {
        try (Connection holder = DriverManager.getConnection(tdb.url(), tdb.user(), tdb.password());
             Statement st = holder.createStatement()) {
            st.execute("create table held (id int primary key, v int)");
            st.execute("insert into held (id, v) values (1, 10)");
            holder.setAutoCommit(false);
            st.execute("update held set v = 0 where id = 1");   // a lock no actor can release

            Run run = Interleaver.on(tdb).keepDatabase()
                    .jdbcActor("A", sends("update held set v = 11 where id = 1"))
                    .build()
                    .runScript(Schedule.parse("A"));

            assertThat(run.failed()).as(run.report()).isFalse();
            Step a = run.trace().steps().get(0);
            assertThat(a.waited()).isEqualTo(Step.Wait.LOCK);
            assertThat(a.resumedAfter()).isZero();
            assertThat(a.failed()).isTrue();
            assertThat(a.result()).startsWith("cancelled");
            holder.rollback();
        }
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void onSqliteBusyIsTheStepsErrorNotASecondTry(TestDatabase tdb) {
        Interleaver il = twoRows(tdb)
                .jdbcActor("T1", sends("update t set v = 11 where id = 1"))
                .jdbcActor("T2", sends("update t set v = 22 where id = 2"))
                .finalState("select id, v from t order by id")
                .build();

        Run script = il.runScript(Schedule.parse("T1 T2 T1 T2"));

        assertThat(script.failed()).as(script.report()).isFalse();
        Step busy = script.trace().steps().get(1);
        assertThat(busy.failed()).isTrue();
        assertThat(busy.result()).contains("SQLITE_BUSY");
        assertThat(busy.waited()).isEqualTo(Step.Wait.NONE);
        assertThat(script.trace().stepsOf("T2")).hasSize(1);         // its commit was not sent
        assertThat(script.outcome()).isEqualTo("[(1, 11), (2, 20)]");
        // run(...) sends the busy step again once T1 has committed
        assertThat(il.run(Schedule.parse("T1 T2 T1 T2")).outcome()).isEqualTo("[(1, 11), (2, 22)]");
    }

    @EachDatabase({DatabaseKind.SQLITE, DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void keepDatabaseLeavesOtherTablesAlone(TestDatabase tdb) throws SQLException {
        try (Connection c = DriverManager.getConnection(tdb.url(), tdb.user(), tdb.password());
             Statement st = c.createStatement()) {
            st.execute("create table other (id int primary key)");
            Interleaver.Builder il = Interleaver.on(tdb).setup(db -> {
                db.execute("drop table if exists t");
                db.execute("create table t (id int primary key, v int)");
            }).jdbcActor("A", sends("insert into t (id, v) values (1, 1)"));

            il.keepDatabase().build().runScript(Schedule.parse("A A"));
            assertThat(tables(st)).contains("other");
        }
    }

    private static List<String> tables(Statement st) throws SQLException {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        try (var rs = st.getConnection().getMetaData().getTables(st.getConnection().getCatalog(),
                st.getConnection().getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }
}
