package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker stalls (its thread held on a latch, and no heartbeat, as in a long GC pause or a suspended JVM) until its
 * lease expires; another worker claims the task and finishes it. When the old worker wakes up, its next checkpoint,
 * progress and step all fail, and no step is applied twice.
 */
class LeaseFencingTest {
    record Steps(int next) {
    }

    @EachDatabase
    void aWorkerWhoseLeaseExpiredCanNeverCommitAgain(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch wakeUp = new CountDownLatch(1);
            AtomicReference<Throwable> oldWorkerStep = new AtomicReference<>();
            AtomicReference<Throwable> oldWorkerProgress = new AtomicReference<>();
            CountDownLatch oldWorkerDone = new CountDownLatch(1);

            // The old worker: a short lease and no heartbeat to speak of, so the stall outlives its lease.
            Tasks old = Tasks.builder(db).workerName("old").lease(Duration.ofMillis(300))
                    .heartbeatEvery(Duration.ofHours(1)).build();
            old.register("steps", Steps.class, (ctx, s) -> {
                try {
                    s = step(ctx, s, "old");                              // step 0 commits with its checkpoint
                    stalled.countDown();
                    assertThat(wakeUp.await(2, TimeUnit.MINUTES)).isTrue();
                    try {
                        ctx.progress(1, 4, "after the stall");
                    } catch (LeaseLostException e) {
                        oldWorkerProgress.set(e);
                    }
                    try {
                        step(ctx, s, "old");                              // step 1 again: must not commit
                    } catch (LeaseLostException e) {
                        oldWorkerStep.set(e);
                        throw e;
                    }
                } finally {
                    oldWorkerDone.countDown();
                }
            });
            Tasks successor = Tasks.builder(db).workerName("new").pollEvery(Duration.ofMillis(20)).build();
            successor.register("steps", Steps.class, (ctx, s) -> {
                while (s.next() < 4) {
                    s = step(ctx, s, "new");
                }
            });
            try {
                old.start(1);
                TaskId id = old.submit("steps", new Steps(0));
                assertThat(stalled.await(1, TimeUnit.MINUTES)).isTrue();
                successor.start(1);
                TestDb.await("the successor to finish the task", Duration.ofMinutes(1),
                        () -> successor.status(id).state() == TaskState.SUCCEEDED);
                wakeUp.countDown();
                assertThat(oldWorkerDone.await(1, TimeUnit.MINUTES)).isTrue();

                assertThat(oldWorkerProgress.get()).isInstanceOf(LeaseLostException.class);
                assertThat(oldWorkerStep.get()).isInstanceOf(LeaseLostException.class)
                        .hasMessageContaining("no longer holds task " + id);
                List<String> effects = db.query(rs -> rs.getInt(1) + ":" + rs.getString(2),
                        "select step, worker from effect order by step");
                assertThat(effects).containsExactly("0:old", "1:new", "2:new", "3:new");
                TaskStatus status = successor.status(id);
                assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(status.attempts()).isEqualTo(2);
                assertThat(status.done()).isEqualTo(4);
                assertThat(successor.lastCheckpoint(id, Steps.class)).isEqualTo(new Steps(4));
            } finally {
                wakeUp.countDown();
                old.close();
                successor.close();
            }
        }
    }

    private static Steps step(TaskContext<Steps> ctx, Steps s, String worker) {
        Steps next = ctx.transact(tx -> {
            tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(), s.next(),
                    worker);
            return new Steps(s.next() + 1);
        });
        ctx.progress(next.next(), 4, "step " + s.next() + " by " + worker);
        return next;
    }
}
