package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Submitting (with and without a unique key), reading status fresh from the database, and bad input. */
class SubmitAndStatusTest {
    enum Kind { FULL, DELTA }

    record Part(String name, BigDecimal amount) {
    }

    record Rich(int a, long b, String s, Kind kind, Instant at, List<Part> parts, Boolean flag, double d) {
    }

    record Holds(Map<String, String> map) {
    }

    @EachDatabase
    void aUniqueKeySubmittedFromEightThreadsAtOnceGivesOneTask(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            Tasks tasks = Tasks.open(db);
            CyclicBarrier together = new CyclicBarrier(8);
            Set<TaskId> ids = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    done.add(pool.submit(() -> {
                        together.await();
                        ids.add(tasks.submit("import", new Part("x", BigDecimal.ONE), "import:file-1"));
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(ids).hasSize(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from holdfast_task")).isEqualTo(1L);
            assertThat(tasks.submit("import", new Part("x", BigDecimal.ONE), "import:file-2")).isNotIn(ids);
        }
    }

    @EachDatabase
    void statusIsReadFromTheDatabaseOnEveryCall(TestDatabase t) {
        try (Database db = TestDb.open(t)) {
            Tasks submitter = Tasks.open(db);
            Tasks elsewhere = Tasks.open(db);   // another process, as far as the table can tell
            Rich state = new Rich(1, 2L, "quote \" and \\ and \n", Kind.DELTA, Instant.parse("2026-11-29T10:15:30Z"),
                    List.of(new Part("p", new BigDecimal("12.50"))), null, 0.25);
            TaskId id = submitter.submit("rich", state);
            TaskStatus before = submitter.status(id);
            assertThat(before.state()).isEqualTo(TaskState.QUEUED);
            assertThat(before.fraction()).isEmpty();
            assertThat(elsewhere.pause(id)).isTrue();
            assertThat(before.state()).as("a snapshot does not change").isEqualTo(TaskState.QUEUED);
            assertThat(submitter.status(id).state()).isEqualTo(TaskState.PAUSED);
            assertThat(submitter.pause(id)).as("already paused").isFalse();
            assertThat(elsewhere.resume(id)).isTrue();
            assertThat(submitter.status(id).state()).isEqualTo(TaskState.QUEUED);
            assertThat(elsewhere.cancel(id)).isTrue();
            assertThat(submitter.status(id).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(submitter.resume(id)).isFalse();
            assertThat(submitter.lastCheckpoint(id, Rich.class)).isEqualTo(state);
            assertThat(submitter.list(10)).extracting(TaskStatus::id).containsExactly(id);
            assertThat(submitter.purge(java.time.Duration.ofMillis(-1000))).isEqualTo(1);
            assertThatThrownBy(() -> submitter.status(id)).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining(id.value());
        }
    }

    @EachDatabase
    void badInputIsRefusedWithTheProblemNamed(TestDatabase t) {
        try (Database db = TestDb.open(t)) {
            Tasks tasks = Tasks.open(db);
            tasks.register("import", Part.class, (ctx, s) -> { });
            assertThatThrownBy(() -> tasks.register("import", Part.class, (ctx, s) -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a handler");
            assertThatThrownBy(() -> tasks.register("maps", Holds.class, (ctx, s) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Holds.map");
            assertThatThrownBy(() -> tasks.submit("import", new Rich(0, 0, null, null, null, List.of(), null, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps a");
            assertThatThrownBy(() -> tasks.submit("", new Part("x", null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task type");
            assertThatThrownBy(() -> tasks.pause(TaskId.of("00000000-0000-0000-0000-000000000000")))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tasks.start(0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from holdfast_task")).isZero();
        }
    }
}
