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
