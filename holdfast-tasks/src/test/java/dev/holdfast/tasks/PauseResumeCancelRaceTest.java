package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pause, resume and cancel from another thread race with the checkpoints of 4 workers. Whatever the order, each
 * committed step is in the database exactly once, the checkpoint always matches the steps committed (so nothing is
 * lost or redone across a pause and resume), a succeeded task did every step and a cancelled one stopped early.
 */
class PauseResumeCancelRaceTest {
    static final int STEPS = 25;

    record Progress(int next) {
    }

    @EachDatabase
    void controlCallsRacingWithCheckpointsNeverLoseOrRepeatAStep(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch firstStep = new CountDownLatch(1);
            Tasks tasks = Tasks.builder(db).pollEvery(Duration.ofMillis(10)).build();
            tasks.register("steps", Progress.class, (ctx, s) -> {
                while (s.next() < STEPS) {
                    int step = s.next();
                    s = ctx.transact(tx -> {
                        tx.execute("insert into effect (task_id, step) values (?, ?)", ctx.id().value(), step);
                        return new Progress(step + 1);
                    });
                    ctx.progress(s.next(), STEPS, null);
                    firstStep.countDown();
                }
            });
            List<TaskId> ids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ids.add(tasks.submit("steps", new Progress(0)));
            }
            tasks.start(4);
            try {
                assertThat(firstStep.await(1, TimeUnit.MINUTES)).isTrue();
                Random random = new Random(42);
                int controls = 0;
                while (controls < 300 && !allFinal(tasks, ids)) {
                    TaskId id = ids.get(random.nextInt(ids.size()));
                    int r = random.nextInt(20);
                    if (r == 0) {
                        tasks.cancel(id);
                    } else if (r < 11) {
                        tasks.pause(id);
                    } else {
                        tasks.resume(id);
                    }
                    controls++;
                    Thread.sleep(1);   // let the workers move between control calls
                }
                TestDb.await("every task to finish once resumed", Duration.ofMinutes(3), () -> {
                    ids.forEach(tasks::resume);
                    return allFinal(tasks, ids);
                });
            } finally {
                tasks.close();
            }
            int cancelled = 0;
            for (TaskId id : ids) {
                TaskStatus s = tasks.status(id);
                List<Integer> steps = db.query(rs -> rs.getInt(1), "select step from effect where task_id = ? "
                        + "order by step", id.value());
                int checkpoint = tasks.lastCheckpoint(id, Progress.class).next();
                assertThat(steps).as("steps of %s, %s", id, s).doesNotHaveDuplicates().hasSize(checkpoint);
                for (int i = 0; i < steps.size(); i++) {
                    assertThat(steps.get(i)).isEqualTo(i);
                }
                assertThat(s.state()).isIn(TaskState.SUCCEEDED, TaskState.CANCELLED);
                if (s.state() == TaskState.SUCCEEDED) {
                    assertThat(checkpoint).isEqualTo(STEPS);
                } else {
                    cancelled++;
                }
                assertThat(s.worker()).isNull();
                assertThat(s.stopRequested()).isNull();
            }
            assertThat(cancelled).isLessThan(ids.size());
        }
    }

    private static boolean allFinal(Tasks tasks, List<TaskId> ids) {
        return ids.stream().allMatch(id -> tasks.status(id).state().isFinal());
    }
}
