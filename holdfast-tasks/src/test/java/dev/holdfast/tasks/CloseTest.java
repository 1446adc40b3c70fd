package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** close() releases running tasks at their next checkpoint; another worker takes them over at once, step by step. */
class CloseTest {
    static final int STEPS = 200;

    record Steps(int next) {
    }

    @EachDatabase
    void closeReleasesRunningTasksAtTheirNextCheckpoint(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch bothStarted = new CountDownLatch(2);
            Tasks first = Tasks.builder(db).workerName("first").build();
            first.register("long", Steps.class, (ctx, s) -> {
                if (s.next() == 0) {
                    s = step(ctx, s, "first");
                    bothStarted.countDown();
                }
                while (s.next() < STEPS) {
                    s = step(ctx, s, "first");
                }
            });
            TaskId a = first.submit("long", new Steps(0));
            TaskId b = first.submit("long", new Steps(0));
            first.start(2);
            assertThat(bothStarted.await(1, TimeUnit.MINUTES)).isTrue();
            first.close(Duration.ofMinutes(1));
            for (TaskId id : List.of(a, b)) {
                TaskStatus s = first.status(id);
                assertThat(s.state()).as("released, not finished: %s", s).isIn(TaskState.QUEUED, TaskState.SUCCEEDED);
                assertThat(s.worker()).isNull();
            }
            Tasks second = Tasks.builder(db).workerName("second").build();
            second.register("long", Steps.class, (ctx, s) -> {
                while (s.next() < STEPS) {
                    s = step(ctx, s, "second");
                }
            });
            second.start(2);
            try {
                TestDb.await("the second worker to finish both", Duration.ofMinutes(2),
                        () -> second.status(a).state() == TaskState.SUCCEEDED
                                && second.status(b).state() == TaskState.SUCCEEDED);
            } finally {
                second.close();
            }
            for (TaskId id : List.of(a, b)) {
                List<Integer> steps = db.query(rs -> rs.getInt(1), "select step from effect where task_id = ? "
                        + "order by step", id.value());
                assertThat(steps).hasSize(STEPS).doesNotHaveDuplicates();
                assertThat(second.status(id).attempts()).as("a graceful release is not a failed attempt").isEqualTo(1);
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
