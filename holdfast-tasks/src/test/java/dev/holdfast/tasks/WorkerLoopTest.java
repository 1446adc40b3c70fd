package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker loop's claims: a task asked to stop whose worker died is stopped by the next claim instead of run; a
 * submit wakes an idle worker at once; idle workers of a process poll the database once an interval, not once each.
 */
class WorkerLoopTest {
    record Steps(int next) {
    }

    @EachDatabase
    void aTaskAskedToStopWhoseWorkerDiedIsStoppedByTheNextClaimNotRun(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch stalled = new CountDownLatch(2);
            CountDownLatch wakeUp = new CountDownLatch(1);
            AtomicInteger lost = new AtomicInteger();
            // The first worker takes both tasks, commits one step each, then stalls past its lease without heartbeats.
            Tasks dying = Tasks.builder(db).workerName("dying").lease(Duration.ofMillis(200))
                    .heartbeatEvery(Duration.ofHours(1)).build();
            dying.register("steps", Steps.class, (ctx, s) -> {
                s = step(ctx, s, "dying");
                stalled.countDown();
                assertThat(wakeUp.await(2, TimeUnit.MINUTES)).isTrue();
                try {
                    step(ctx, s, "dying");
                } catch (LeaseLostException e) {
                    lost.incrementAndGet();
                    throw e;
                }
            });
            AtomicInteger ranByNext = new AtomicInteger();
            Tasks next = Tasks.builder(db).workerName("next").build();
            next.register("steps", Steps.class, (ctx, s) -> {
                ranByNext.incrementAndGet();
                while (s.next() < 3) {
                    s = step(ctx, s, "next");
                }
            });
            try {
                TaskId paused = dying.submit("steps", new Steps(0));
                TaskId cancelled = dying.submit("steps", new Steps(0));
                dying.start(2);
                assertThat(stalled.await(1, TimeUnit.MINUTES)).isTrue();
                assertThat(next.pause(paused)).isTrue();
                assertThat(next.cancel(cancelled)).isTrue();
                TestDb.await("both leases to expire", Duration.ofMinutes(1), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where lease_until < ?", System.currentTimeMillis()) == 2);

                assertThat(next.runOne()).as("nothing left to run once both are stopped").isFalse();
                assertThat(ranByNext).hasValue(0);
                TaskStatus p = next.status(paused);
                assertThat(p.state()).isEqualTo(TaskState.PAUSED);
                assertThat(p.attempts()).as("stopping a task is not an attempt").isEqualTo(1);
                assertThat(p.worker()).isNull();
                assertThat(p.stopRequested()).isNull();
                TaskStatus c = next.status(cancelled);
                assertThat(c.state()).isEqualTo(TaskState.CANCELLED);
                assertThat(c.attempts()).isEqualTo(1);

                wakeUp.countDown();
                TestDb.await("the stalled worker to find out", Duration.ofMinutes(1), () -> lost.get() == 2);
                assertThat(next.resume(paused)).isTrue();
                assertThat(next.runOne()).isTrue();
                assertThat(next.status(paused).state()).isEqualTo(TaskState.SUCCEEDED);
                assertThat(next.status(paused).attempts()).isEqualTo(2);
                assertThat(db.query(rs -> rs.getInt(1) + ":" + rs.getString(2), "select step, worker from effect "
                        + "where task_id = ? order by step", paused.value())).containsExactly("0:dying", "1:next",
                        "2:next");
                assertThat(db.query(rs -> rs.getInt(1) + ":" + rs.getString(2), "select step, worker from effect "
                        + "where task_id = ? order by step", cancelled.value())).containsExactly("0:dying");
            } finally {
                wakeUp.countDown();
                dying.close();
                next.close();
            }
        }
    }

    @EachDatabase
    void aSubmitWakesAnIdleWorkerAtOnceEveryTime(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            // Polling once a minute: only a wake-up by the submit can start these tasks within the bound below.
            Tasks tasks = Tasks.builder(db).pollEvery(Duration.ofMinutes(1)).build();
            AtomicReference<CountDownLatch> ran = new AtomicReference<>();
            tasks.register("quick", Steps.class, (ctx, s) -> ran.get().countDown());
            tasks.start(4);
            try {
                Thread.sleep(200);   // all four idle: one polling, three waiting
                for (int i = 0; i < 10; i++) {
                    CountDownLatch done = new CountDownLatch(1);
                    ran.set(done);
                    TaskId id = tasks.submit("quick", new Steps(i));
                    assertThat(done.await(30, TimeUnit.SECONDS)).as("task %d started without a poll", i).isTrue();
                    TestDb.await("task " + i + " to succeed", Duration.ofSeconds(30),
                            () -> tasks.status(id).state() == TaskState.SUCCEEDED);
                }
            } finally {
                tasks.close();
            }
        }
    }

    @EachDatabase
    void idleWorkersPollOnceAnIntervalNotOnceEach(TestDatabase t) throws Exception {
        AtomicInteger claims = new AtomicInteger();
        try (Database db = TestDb.countingClaims(t, claims)) {
            Tasks tasks = Tasks.builder(db).pollEvery(Duration.ofMillis(50)).build();
            tasks.register("none", Steps.class, (ctx, s) -> { });
            tasks.start(8);
            try {
                Thread.sleep(300);
                claims.set(0);
                Thread.sleep(1_000);
                // One poller: at most 20 claims a second, plus each other idle worker's own look every 500 ms (14).
                // Eight workers polling each would send 160.
                assertThat(claims.get()).as("claims sent by 8 idle workers in one second").isLessThan(60);
            } finally {
                tasks.close();
            }
        }
    }

    @EachDatabase
    void aSubmitToAnIdleWorkerIsInsertedClaimedAndStartsWithoutAClaim(TestDatabase t) throws Exception {
        AtomicInteger claims = new AtomicInteger();
        try (Database db = TestDb.countingClaims(t, claims)) {
            TestDb.createEffects(db);
            // Polling once a minute, so that no poll's claim falls inside the loop below.
            Tasks tasks = Tasks.builder(db).pollEvery(Duration.ofMinutes(1)).build();
            tasks.register("steps", Steps.class, (ctx, s) -> step(ctx, s, "w"));
            tasks.start(4);
            try {
                Thread.sleep(200);   // the first poll is over
                claims.set(0);
                for (int i = 0; i < 10; i++) {
                    TaskId id = tasks.submit("steps", new Steps(i));
                    TestDb.await("task " + i + " to succeed", Duration.ofSeconds(30),
                            () -> tasks.status(id).state() == TaskState.SUCCEEDED);
                    assertThat(tasks.status(id).attempts()).isEqualTo(1);
                }
                assertThat(claims).as("claim statements").hasValue(0);
                assertThat(db.queryScalar(Long.class, "select count(*) from effect")).isEqualTo(10L);
                assertThat(db.queryScalar(Long.class, "select count(distinct task_id) from effect")).isEqualTo(10L);
            } finally {
                tasks.close();
            }
        }
    }

    private static Steps step(TaskContext<Steps> ctx, Steps s, String worker) {
        return ctx.transact(tx -> {
            tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(), s.next(),
                    worker);
            return new Steps(s.next() + 1);
        });
    }
}
