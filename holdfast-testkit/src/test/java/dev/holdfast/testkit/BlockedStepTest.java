package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;

/** A step that waits on a row lock is seen as waiting by asking the database, not by a timeout. */
class BlockedStepTest {

    private static Interleaver twoWriters(TestDatabase tdb) {
        Actor write = db -> db.transact(tx -> tx.execute("update item set qty = qty + 1 where id = 1"));
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table item (id int primary key, qty int not null)");
                    db.execute("insert into item (id, qty) values (1, 0)");
                })
                .actor("A", write)
                .actor("B", write)
                .finalState("select qty from item")
                // Far longer than the test may take: a step found "waiting" here was reported by the database.
                .lastResortTimeout(Duration.ofMinutes(10))
                .build();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aStepWaitingOnARowLockIsDetectedFromTheDatabase(TestDatabase tdb) {
        // A updates the row; B's update must wait for A's lock, so after "A B" only A can go on: it commits.
        Run run = twoWriters(tdb).run(Schedule.parse("A B A B"));

        assertThat(run.failed()).as(run.report()).isFalse();
        assertThat(run.outcome()).isEqualTo("[(2)]");
        Step bUpdate = run.trace().steps().get(1);
        assertThat(bUpdate.actor()).isEqualTo("B");
        assertThat(bUpdate.waited()).isEqualTo(Step.Wait.LOCK);
        assertThat(bUpdate.resumedAfter()).isEqualTo(3);
        assertThat(run.trace().steps().get(2).sql()).isEqualTo("COMMIT");
        assertThat(run.trace().steps()).noneMatch(s -> s.waited() == Step.Wait.TIMEOUT);
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aScheduleThatAsksForTheBlockedActorIsRejectedWithTheReason(TestDatabase tdb) {
        Run run = twoWriters(tdb).run(Schedule.parse("A B B"));

        assertThat(run.failed()).isTrue();
        assertThat(run.failure()).contains("asks for B at step 3").contains("only [A]");
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void onSqliteAWaitingStepFailsAtOnceWithBusyAndRunsAgainLater(TestDatabase tdb) {
        Run run = twoWriters(tdb).run(Schedule.parse("A A B A"));   // A: BEGIN IMMEDIATE, UPDATE; B: BEGIN IMMEDIATE

        assertThat(run.failed()).as(run.report()).isFalse();
        Step busy = run.trace().steps().get(2);
        assertThat(busy.actor()).isEqualTo("B");
        assertThat(busy.waited()).isEqualTo(Step.Wait.BUSY);
        assertThat(busy.result()).contains("SQLITE_BUSY");
        assertThat(run.trace().steps().get(4).sql()).isEqualTo(busy.sql());   // B's BEGIN IMMEDIATE, again
        assertThat(run.outcome()).isEqualTo("[(2)]");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aDeadlockIsAnOutcomeNotAHang(TestDatabase tdb) {
        Actor oneThenTwo = db -> db.transact(tx -> {
            tx.execute("update item set qty = qty + 1 where id = 1");
            return tx.execute("update item set qty = qty + 1 where id = 2");
        });
        Actor twoThenOne = db -> db.transact(tx -> {
            tx.execute("update item set qty = qty + 1 where id = 2");
            return tx.execute("update item set qty = qty + 1 where id = 1");
        });
        Run run = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table item (id int primary key, qty int not null)");
                    db.execute("insert into item (id, qty) values (1, 0), (2, 0)");
                })
                .actor("A", oneThenTwo).actor("B", twoThenOne)
                .serializable("select id, qty from item order by id")
                .lastResortTimeout(Duration.ofMinutes(10))
                .build()
                .run(Schedule.parse("A B A B"));

        assertThat(run.failed()).as(run.report()).isFalse();
        assertThat(run.outcome()).isEqualTo("[(1, 2), (2, 2)]");   // the victim was retried
        assertThat(run.trace().steps()).anyMatch(s -> s.failed() && s.result().contains("eadlock"));
    }
}
