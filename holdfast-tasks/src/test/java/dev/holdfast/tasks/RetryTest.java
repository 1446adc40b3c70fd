package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;

/** A handler that throws is retried from its last checkpoint with backoff, then marked failed with the error. */
class RetryTest {
    record Steps(int next) {
    }

    @EachDatabase
    void aFailedAttemptResumesFromTheLastCheckpointThenFailsForGood(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            Tasks tasks = Tasks.builder(db).maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                    .pollEvery(Duration.ofMillis(10)).build();
            // Fails at step 2 on its first two attempts, then succeeds.
            tasks.register("flaky", Steps.class, (ctx, s) -> {
                while (s.next() < 5) {
                    if (s.next() == 2 && ctx.attempt() < 3) {
                        throw new IllegalStateException("boom on attempt " + ctx.attempt());
                    }
                    s = step(ctx, s);
                }
            });
            // Fails after its first step every time.
            tasks.register("broken", Steps.class, (ctx, s) -> {
                if (s.next() == 0) {
                    step(ctx, s);
                }
                throw new IllegalStateException("always boom");
            });
            TaskId flaky = tasks.submit("flaky", new Steps(0));
            TaskId broken = tasks.submit("broken", new Steps(0));
            tasks.start(2);
            try {
                TestDb.await("both tasks to finish", Duration.ofMinutes(1),
                        () -> tasks.status(flaky).state().isFinal() && tasks.status(broken).state().isFinal());
            } finally {
                tasks.close();
            }
            TaskStatus f = tasks.status(flaky);
            assertThat(f.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(steps(db, flaky)).containsExactly(0, 1, 2, 3, 4);

            TaskStatus b = tasks.status(broken);
            assertThat(b.state()).isEqualTo(TaskState.FAILED);
            assertThat(b.attempts()).isEqualTo(3);
            assertThat(b.error()).isEqualTo("java.lang.IllegalStateException: always boom");
            assertThat(steps(db, broken)).containsExactly(0);
        }
    }

    private static Steps step(TaskContext<Steps> ctx, Steps s) {
        return ctx.transact(tx -> {
            tx.execute("insert into effect (task_id, step) values (?, ?)", ctx.id().value(), s.next());
            return new Steps(s.next() + 1);
        });
    }

    private static List<Integer> steps(Database db, TaskId id) {
        return db.query(rs -> rs.getInt(1), "select step from effect where task_id = ? order by step", id.value());
    }
}
