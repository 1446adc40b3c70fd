package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs killed by SIGKILL at random moments (no shutdown hook, no close): every task still finishes exactly once,
 * resumed from its last checkpoint in another JVM, with each step's effect row present exactly once.
 */
class TaskCrashTest {
    @TempDir
    Path dir;

    @EachDatabase
    void workersKilledAtRandomMomentsLoseAndRepeatNothing(TestDatabase t) throws Exception {
        int steps = 20;
        try (Database db = TestDb.openShared(t)) {
            TestDb.createEffects(db);
            Tasks tasks = Tasks.open(db);
            List<TaskId> ids = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                ids.add(tasks.submit("crash", new TaskCrashChild.Steps(0)));
            }
            Random random = new Random();
            long total = 24L * steps;
            for (int kill = 0; kill < 4; kill++) {
                long before = effects(db);
                // Kill somewhere between 1 and 60 further steps into this child's run: a random moment.
                long target = Math.min(total - 1, before + 1 + random.nextInt(60));
                Process child = start(t, "victim-" + kill, 4, steps);
                try {
                    TestDb.await("victim " + kill + " to reach " + target + " steps", Duration.ofMinutes(2),
                            () -> effects(db) >= target || !child.isAlive());
                    assertThat(child.isAlive()).as("victim %s alive; its log: %s", kill, log("victim-" + kill))
                            .isTrue();
                } finally {
                    child.destroyForcibly();   // SIGKILL
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
            }
            List<Process> survivors = List.of(start(t, "survivor-0", 4, steps), start(t, "survivor-1", 4, steps));
            try {
                TestDb.await("every task to succeed", Duration.ofMinutes(3), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where state = 'SUCCEEDED'") == ids.size());
            } finally {
                for (Process p : survivors) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            int resumed = 0;
            for (TaskId id : ids) {
                List<Integer> done = db.query(rs -> rs.getInt(1), "select step from effect where task_id = ? "
                        + "order by step", id.value());
                assertThat(done).as("steps of task %s", id).hasSize(steps).doesNotHaveDuplicates();
                if (tasks.status(id).attempts() > 1) {
                    resumed++;
                }
            }
            assertThat(resumed).as("tasks resumed in another JVM after a kill").isPositive();
        }
    }

    @EachDatabase
    void eightWorkersInTwoProcessesRunAThousandTasksExactlyOnce(TestDatabase t) throws Exception {
        try (Database db = TestDb.openShared(t)) {
            TestDb.createEffects(db);
            Tasks tasks = Tasks.open(db);
            for (int i = 0; i < 1_000; i++) {
                tasks.submit("crash", new TaskCrashChild.Steps(0));
            }
            List<Process> children = List.of(start(t, "p0", 4, 1), start(t, "p1", 4, 1));
            try {
                TestDb.await("1,000 tasks to succeed", Duration.ofMinutes(3), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where state = 'SUCCEEDED'") == 1_000);
            } finally {
                for (Process p : children) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            assertThat(effects(db)).isEqualTo(1_000L);
            assertThat(db.queryScalar(Long.class, "select count(distinct task_id) from effect")).isEqualTo(1_000L);
            assertThat(db.query(rs -> rs.getString(1), "select distinct worker from effect")).hasSize(2);
        }
    }

    private static long effects(Database db) {
        return db.queryScalar(Long.class, "select count(*) from effect");
    }

    private Process start(TestDatabase t, String worker, int threads, int steps) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TaskCrashChild.class.getName(),
                t.url(), t.user() == null ? "-" : t.user(),
                t.password() == null || t.password().isEmpty() ? "-" : t.password(), String.valueOf(threads), worker,
                String.valueOf(steps))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(worker + ".log").toFile())
                .start();
    }

    private String log(String worker) {
        try {
            return Files.readString(dir.resolve(worker + ".log"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
