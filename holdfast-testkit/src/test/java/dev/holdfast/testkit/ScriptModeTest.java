package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * {@link ScriptMode}: a strict script (PostgreSQL's isolation tester) waits for a waiting step before it sends the next
 * entry for that actor and before the teardown, so a timeout on the waiting step fires; a script that runs ahead
 * (Hermitage by hand) sends the teardown while the step waits, its lock is released and the timeout does not fire.
 */
class ScriptModeTest {

    /** Sends each statement as one step, in one transaction; stops at the first error (it is the script's outcome). */
    private static JdbcActor sends(String... statements) {
        return ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
            } catch (SQLException outcome) {
                // the trace shows it; close() rolls back
            }
        };
    }

    /** The waiter's session setting that makes a lock wait fail on its own, and the SQLSTATE it fails with. */
    private static String timeoutSetting(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRES -> "set statement_timeout = 300";
            case MARIADB -> "set session innodb_lock_wait_timeout = 1";
            case SQLITE -> "pragma busy_timeout = 300";
        };
    }

    private static Interleaver holderAndWaiter(TestDatabase tdb, ScriptMode mode) {
        String begin = tdb.kind() == DatabaseKind.SQLITE ? "begin immediate" : "begin";
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, v int)");
                    db.execute("insert into t (id, v) values (1, 10)");
                })
                .jdbcActor("S1", sends(begin, "update t set v = 11 where id = 1", "rollback"))
                .jdbcActor("S2", sends(timeoutSetting(tdb.kind()), begin, "update t set v = 12 where id = 1",
                        "commit"))
                .finalState("select v from t")
                .scriptMode(mode)
                .lastResortTimeout(Duration.ofSeconds(8))
                .build();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void strictOrderLetsTheWaitingStepsTimeoutFireBeforeTheTeardown(TestDatabase tdb) {
        Run run = holderAndWaiter(tdb, ScriptMode.STRICT_ORDER)
                .runScript(Schedule.parse("S1 S1 S2 S2 S2"), Schedule.parse("S1"));

        assertThat(run.failed()).as(run.report()).isFalse();
        Step update = run.trace().stepsOf("S2").get(2);
        assertThat(update.waited()).as(run.report()).isEqualTo(Step.Wait.LOCK);
        assertThat(update.failed()).as(run.report()).isTrue();
        assertThat(update.result()).as(run.report())
                .contains(tdb.kind() == DatabaseKind.POSTGRES ? "57014" : "Lock wait timeout");
        Step teardown = run.trace().steps().get(run.trace().steps().size() - 1);
        assertThat(teardown.actor()).isEqualTo("S1");
        assertThat(teardown.index()).isGreaterThan(update.index());
        assertThat(run.outcome()).startsWith("[(10)]");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void runAheadSendsTheTeardownWhileTheStepWaitsSoTheTimeoutDoesNotFire(TestDatabase tdb) {
        Run run = holderAndWaiter(tdb, ScriptMode.RUN_AHEAD)
                .runScript(Schedule.parse("S1 S1 S2 S2 S2"), Schedule.parse("S1"));

        assertThat(run.failed()).as(run.report()).isFalse();
        Step update = run.trace().stepsOf("S2").get(2);
        assertThat(update.waited()).as(run.report()).isEqualTo(Step.Wait.LOCK);
        assertThat(update.failed()).as(run.report()).isFalse();
        assertThat(update.resumedAfter()).isEqualTo(6);   // S1's teardown ROLLBACK, step 6
        assertThat(run.outcome()).isEqualTo("[(12)]");
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void onSqliteABusyWaitIsWaitedForUnlessTheScriptMarksItPassable(TestDatabase tdb) {
        // SQLite's busy handler is invisible to the detector: the scheduler waits for the step in both modes, so the
        // busy timeout fires; marked (*), the step counts as waiting and a script that runs ahead sends the teardown.
        for (ScriptMode mode : ScriptMode.values()) {
            Run run = holderAndWaiter(tdb, mode).runScript(Schedule.parse("S1 S1 S2 S2"), Schedule.parse("S1"));
            assertThat(run.failed()).as(run.report()).isFalse();
            Step begin = run.trace().stepsOf("S2").get(1);
            assertThat(begin.result()).as(mode + "\n" + run.report()).contains("SQLITE_BUSY");
        }
        Run strict = holderAndWaiter(tdb, ScriptMode.STRICT_ORDER)
                .runScript(Schedule.parse("S1 S1 S2 S2(*)"), Schedule.parse("S1"));
        assertThat(strict.trace().stepsOf("S2").get(1).result()).as(strict.report()).contains("SQLITE_BUSY");
        Run ahead = holderAndWaiter(tdb, ScriptMode.RUN_AHEAD)
                .runScript(Schedule.parse("S1 S1 S2 S2(*)"), Schedule.parse("S1"));
        assertThat(ahead.trace().stepsOf("S2").get(1).failed()).as(ahead.report()).isFalse();
        assertThat(ahead.outcome()).as(ahead.report() + "\n" + ahead.trace().swimlane()).isEqualTo("[(12)]");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void strictOrderDoesNotPassAnEntryForAWaitingActor(TestDatabase tdb) {
        Interleaver il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table t (id int primary key, v int)");
                    db.execute("insert into t (id, v) values (1, 10), (2, 20)");
                })
                .jdbcActor("T1", sends("begin", "update t set v = 11 where id = 1", "commit"))
                .jdbcActor("T2", sends("begin", "update t set v = 12 where id = 1", "update t set v = 22 where id = 2",
                        "commit"))
                .finalState("select id, v from t order by id")
                .scriptMode(ScriptMode.STRICT_ORDER)
                .lastResortTimeout(Duration.ofSeconds(1))
                .build();

        // T2's third entry names T2 while its update waits for T1: an invalid permutation for the isolation tester,
        // which waits, then cancels the step; RUN_AHEAD would have sent T1's commit first.
        Run run = il.runScript(Schedule.parse("T1 T1 T2 T2 T2 T1 T2"));

        assertThat(run.failed()).as(run.report()).isFalse();
        Step waited = run.trace().stepsOf("T2").get(1);
        assertThat(waited.result()).as(run.report()).startsWith("cancelled: still waiting after the last-resort");
        assertThat(run.trace().stepsOf("T2")).hasSize(2);   // it gave up at the cancelled update
        assertThat(run.outcome()).isEqualTo("[(1, 11), (2, 20)]");

        Run valid = il.runScript(Schedule.parse("T1 T1 T2 T2 T1 T2 T2"));
        assertThat(valid.schedule()).hasToString("T1 T1 T2 T2 T1 T2 T2");
        assertThat(valid.outcome()).isEqualTo("[(1, 12), (2, 22)]");
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void aMarkerOtherThanTheStarIsRefusedWithWhatIsUnderstood(TestDatabase tdb) {
        Interleaver il = Interleaver.on(tdb).jdbcActor("A", sends("select 1")).build();
        assertThatThrownBy(() -> il.runScript(Schedule.parse("A(B)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only the isolation tester's (*)");
        assertThatThrownBy(() -> il.run(Schedule.parse("A(*)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actor 'A(*)'");
        assertThat(il.runScript(Schedule.parse("A(*)")).failed()).isFalse();
        assertThat(List.of(ScriptMode.values())).containsExactly(ScriptMode.STRICT_ORDER, ScriptMode.RUN_AHEAD);
    }
}
