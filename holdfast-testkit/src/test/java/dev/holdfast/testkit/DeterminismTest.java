package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/** Same schedule, same run; same seed, same schedules. */
class DeterminismTest {

    private static Interleaver.Builder naiveCounter(TestDatabase tdb) {
        Actor increment = db -> {
            int n = db.read(tx -> tx.queryScalar(Integer.class, "select n from counter where id = ?", 1));
            db.transact(tx -> tx.execute("update counter set n = ? where id = ?", n + 1, 1));
        };
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .actor("C", increment)
                .serializable("select n from counter");
    }

    @EachDatabase
    void aFailingScheduleReplaysToTheSameTrace(TestDatabase tdb) {
        Interleaver il = naiveCounter(tdb).strategy(Strategy.random(7, 20)).build();
        Run found = il.explore().firstFailure().orElseThrow();

        Run replayed = il.run(Schedule.parse(found.schedule().toString()));

        assertThat(replayed.trace()).isEqualTo(found.trace());
        assertThat(replayed.outcome()).isEqualTo(found.outcome());
        assertThat(replayed.failure()).isEqualTo(found.failure());
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void theSameSeedExploresTheSameSchedules(TestDatabase tdb) {
        Interleaver pct = naiveCounter(tdb).strategy(Strategy.pct(11, 2, 15)).build();

        Exploration first = pct.explore();
        Exploration second = pct.explore();

        assertThat(second.runs().stream().map(r -> r.schedule().toString()).toList())
                .isEqualTo(first.runs().stream().map(r -> r.schedule().toString()).toList());
        assertThat(first.firstFailure()).as("PCT at depth 2 finds the lost update in 15 runs").isPresent();
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void exhaustiveExplorationIsTheSameTwice(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = ? for update", 1);
            return tx.execute("update counter set n = ? where id = ?", n + 1, 1);
        });
        Interleaver il = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment).actor("B", increment)
                .finalState("select n from counter")
                .build();

        Exploration first = il.explore();
        Exploration second = il.explore();

        assertThat(second.runs().stream().map(Run::trace).toList())
                .isEqualTo(first.runs().stream().map(Run::trace).toList());
    }
}
