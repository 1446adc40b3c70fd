package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An actor blocked in the JVM on a lock another actor holds at its gate (an application lock, as in Django bug 6)
 * counts as waiting: the scheduler runs the owner on instead of stopping the run at the last-resort timeout.
 */
class ApplicationLockTest {

    @EachDatabase
    void anActorWaitingForAJvmLockHeldByAnActorAtItsGateIsScheduledAround(TestDatabase tdb) {
        ReentrantLock lock = new ReentrantLock();
        Actor increment = db -> {
            db.queryScalar(Integer.class, "select n from counter where id = 1");   // a step before the lock
            lock.lock();
            try {
                db.transact(tx -> {
                    int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
                    return tx.execute("update counter set n = ? where id = 1", n + 1);
                });
            } finally {
                lock.unlock();
            }
        };
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .serializable("select n from counter")
                .lastResortTimeout(Duration.ofSeconds(2))
                .build()
                .explore();

        // Without the JVM-lock detection every schedule in which one actor waits for the lock held by the other at
        // its gate would stop at the last-resort timeout, as a failure.
        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        assertThat(result.schedules()).isGreaterThan(1);
        assertThat(result.outcomes()).containsOnlyKeys("[(2)]");
    }
}
