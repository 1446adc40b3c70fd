package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A schedule in which two transfers deadlock replays to the same trace every time: the same victim, the same
 * "waited" marks, the same retries. The victim must not depend on how fast the machine grants the next step.
 */
class DeadlockReplayTest {

    private static Interleaver transfers(TestDatabase tdb) {
        Actor xToY = db -> db.transact(tx -> {
            tx.execute("update account set balance = balance - 10 where id = 'X'");
            return tx.execute("update account set balance = balance + 10 where id = 'Y'");
        });
        Actor yToX = db -> db.transact(tx -> {
            tx.execute("update account set balance = balance - 20 where id = 'Y'");
            return tx.execute("update account set balance = balance + 20 where id = 'X'");
        });
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table account (id varchar(8) primary key, balance int not null)");
                    db.execute("insert into account (id, balance) values ('X', 100), ('Y', 100)");
                })
                .actor("A", xToY).actor("B", yToX)
                .serializable("select id, balance from account order by id")
                .everyActorSucceeds()
                .lastResortTimeout(Duration.ofMinutes(10))
                .build();
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aDeadlockingScheduleReplaysToTheSameTraceTwentyTimes(TestDatabase tdb) {
        Interleaver il = transfers(tdb);
        Run first = il.run(Schedule.parse("A B A B"));
        assertThat(first.failed()).as(first.report()).isFalse();
        assertThat(first.trace().steps()).as(first.report())
                .anyMatch(s -> s.failed() && s.result().toLowerCase().contains("deadlock"));
        assertThat(first.trace().steps()).noneMatch(s -> s.waited() == Step.Wait.TIMEOUT);

        List<Integer> different = new ArrayList<>();
        for (int i = 1; i < 20; i++) {
            Run again = il.run(Schedule.parse("A B A B"));
            if (!again.trace().equals(first.trace()) || !again.outcome().equals(first.outcome())
                    || !again.schedule().equals(first.schedule())) {
                different.add(i);
                System.out.println("replay " + i + " differs:\n" + again.report() + "\nfirst:\n" + first.report());
            }
        }
        assertThat(different).as("replays whose trace differs from the first").isEmpty();
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void onPostgresTheStepThatClosedTheCycleIsTheVictim(TestDatabase tdb) {
        Run run = transfers(tdb).run(Schedule.parse("A B A B"));

        Step closing = run.trace().steps().get(3);
        assertThat(closing.actor()).isEqualTo("B");
        assertThat(closing.failed()).as(run.report()).isTrue();
        assertThat(closing.result()).startsWith("ERROR 40P01");
        assertThat(run.trace().steps().get(2).waited()).isEqualTo(Step.Wait.LOCK);   // A's wait ended by B's rollback
        assertThat(run.outcome()).isEqualTo("[(X, 110), (Y, 90)]");
    }
}
