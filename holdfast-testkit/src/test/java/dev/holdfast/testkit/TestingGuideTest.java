package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/** The examples of docs/testing.md, kept compiling and passing. Change both together. */
class TestingGuideTest {

    // --- docs/testing.md: "Write an interleaving test"
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void theNaiveIncrementLosesAWrite(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
            return tx.execute("update counter set n = ? where id = 1", n + 1);
        });

        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .serializable("select n from counter")
                .build()
                .explore();

        Run lost = result.firstFailure().orElseThrow();
        System.out.println(result.summary());
        System.out.println(lost.report());
        assertThat(lost.schedule().toString()).isEqualTo("A A B A B B");
        // the summary the page quotes, pinned: every schedule, each once, none ended by the last-resort timeout
        assertThat(result.complete()).isTrue();
        assertThat(result.schedules()).isEqualTo(14);
        assertThat(result.failures()).hasSize(12);
        assertThat(result.runs().stream().map(r -> r.schedule().toString()).distinct().count()).isEqualTo(14);
        assertThat(result.runs()).allMatch(r -> r.trace().steps().stream().noneMatch(s -> s.waited() == Step.Wait.TIMEOUT));
    }

    // --- docs/testing.md: "Run a script" (the two script modes)
    @EachDatabase(DatabaseKind.POSTGRES)
    void aStrictScriptLetsTheTimeoutFireARunAheadOneDoesNot(TestDatabase tdb) {
        JdbcActor s1 = ds -> sendsInOrder(ds, "begin", "update t set v = 11 where id = 1", "rollback");
        JdbcActor s2 = ds -> sendsInOrder(ds, "set statement_timeout = 300", "begin",
                "update t set v = 12 where id = 1", "commit");
        Interleaver.Builder il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, v int)");
                    db.execute("insert into t (id, v) values (1, 10)");
                })
                .jdbcActor("S1", s1).jdbcActor("S2", s2)
                .finalState("select v from t");
        Schedule script = Schedule.parse("S1 S1 S2 S2 S2");
        Schedule teardown = Schedule.parse("S1");

        Run strict = il.scriptMode(ScriptMode.STRICT_ORDER).build().runScript(script, teardown);
        assertThat(strict.trace().stepsOf("S2").get(2).result()).as(strict.report())
                .startsWith("ERROR 57014 ERROR: canceling statement due to statement timeout");
        Run ahead = il.scriptMode(ScriptMode.RUN_AHEAD).build().runScript(script, teardown);
        assertThat(ahead.outcome()).as(ahead.report()).isEqualTo("[(12)]");
        assertThat(ahead.trace().stepsOf("S2").get(2).resumedAfter()).isEqualTo(6);
    }

    /** Each statement one step; the first error ends the actor (the script's outcome). */
    private static void sendsInOrder(javax.sql.DataSource ds, String... statements) {
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (java.sql.SQLException outcome) {
            // shown in the trace
        }
    }

    // --- docs/testing.md: "Prove the fix"
    @EachDatabase
    void theAtomicIncrementPassesEverySchedule(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1"));

        Exploration e = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .serializable("select n from counter")
                .everyActorSucceeds()
                .build()
                .explore();
        e.assertNoFailures();
        assertThat(e.complete()).isTrue();
    }

    // --- docs/testing.md: "Replay a schedule"
    @EachDatabase(DatabaseKind.POSTGRES)
    void replayTheFailingSchedule(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
            return tx.execute("update counter set n = ? where id = 1", n + 1);
        });
        Interleaver interleaver = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .serializable("select n from counter")
                .build();

        Run run = interleaver.run(Schedule.parse("A A B B A B"));
        System.out.println(run.report());

        assertThat(run.failed()).isTrue();
        assertThat(run.outcome()).isEqualTo("[(1)]");
        assertThat(run.trace().steps().get(3).waited()).isEqualTo(Step.Wait.LOCK);   // B's update waits for A
    }
}
