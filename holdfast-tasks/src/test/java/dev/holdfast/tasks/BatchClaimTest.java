package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch claims: one statement claims several tasks, each with its own fencing token. From 4 threads here and 4 threads
 * in each of two child JVMs at once, with claims abandoned and claimed again after their lease: every task succeeds
 * exactly once, none is lost, and no two claims of a task share a token. Successes written in one statement are each
 * fenced by their own token.
 */
class BatchClaimTest {
    @TempDir
    Path dir;

    @EachDatabase
    void batchClaimsFromThreadsInThreeProcessesRunEachTaskOnceWithDistinctTokens(TestDatabase t) throws Exception {
        int tasks = 600;
        try (Database db = TestDb.openShared(t)) {
            Tasks submitter = Tasks.open(db);
            db.execute("create table claim_log (task_id varchar(36) not null, token bigint not null, "
                    + "worker varchar(200) not null)");
            db.execute("create table success_log (task_id varchar(36) not null, token bigint not null, "
                    + "worker varchar(200) not null)");
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < tasks; i++) {
                ids.add(submitter.submit("batch", new WorkerLoopTest.Steps(i)).value());
            }
            List<Process> children = List.of(start(t, "p1"), start(t, "p2"));
            try {
                // both child JVMs claim before this one's threads start, so that the three overlap
                TestDb.await("both children to claim", Duration.ofMinutes(2), () -> db.queryScalar(Long.class,
                        "select count(distinct substr(worker, 1, 2)) from claim_log") == 2
                        || children.stream().anyMatch(p -> !p.isAlive()));
                BatchClaimChild.run(db, 4, "p0", 300);
                for (Process p : children) {
                    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("child finished; its log: %s", log(p)).isTrue();
                    assertThat(p.exitValue()).as("child exit; its log: %s", log(p)).isZero();
                }
            } finally {
                children.forEach(Process::destroyForcibly);
            }

            assertThat(db.query(rs -> rs.getString(1), "select id from holdfast_task where state = 'SUCCEEDED'"))
                    .as("every task succeeded, none lost").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(db.query(rs -> rs.getString(1), "select task_id from success_log group by task_id having "
                    + "count(*) > 1")).as("tasks whose success was recorded twice").isEmpty();
            assertThat(db.queryScalar(Long.class, "select count(*) from success_log")).isEqualTo(tasks);
            assertThat(db.query(rs -> rs.getString(1) + "#" + rs.getLong(2), "select task_id, token from claim_log "
                    + "group by task_id, token having count(*) > 1")).as("two claims with the same token").isEmpty();
            // Every claim was logged: a task's tokens are 1..n with no gap, and the last is the one it succeeded with.
            assertThat(db.query(rs -> rs.getString(1), "select task_id from claim_log group by task_id having "
                    + "count(*) <> max(token) or min(token) <> 1")).as("tasks with missing claims").isEmpty();
            assertThat(db.query(rs -> rs.getString(1), "select s.task_id from success_log s join holdfast_task t on "
                    + "t.id = s.task_id where s.token <> t.token")).as("succeeded with a stale token").isEmpty();
            assertThat(db.queryScalar(Long.class, "select count(distinct worker) from claim_log where token > 1"))
                    .as("abandoned tasks claimed again").isPositive();
            assertThat(db.query(rs -> rs.getString(1), "select distinct substr(worker, 1, 2) from success_log"))
                    .as("processes that finished tasks").contains("p1", "p2");
        }
    }

    @EachDatabase
    void idleWorkersTakeRunnableTasksInBatchesNotOneClaimEach(TestDatabase t) throws Exception {
        AtomicInteger claims = new AtomicInteger();
        try (Database db = TestDb.countingClaims(t, claims)) {
            TestDb.createEffects(db);
            // Polling once a minute: the tasks below are found by the claims their submits trigger after the commit.
            Tasks tasks = Tasks.builder(db).pollEvery(Duration.ofMinutes(1)).build();
            CountDownLatch gate = new CountDownLatch(1);
            tasks.register("one", WorkerLoopTest.Steps.class, (ctx, s) -> {
                assertThat(gate.await(2, TimeUnit.MINUTES)).isTrue();
                ctx.transact(tx -> {
                    tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(),
                            s.next(), "w");
                    return s;
                });
            });
            tasks.start(8);
            try {
                Thread.sleep(200);   // the first poll, which finds nothing, is over: 8 idle workers
                claims.set(0);
                List<TaskId> ids = new ArrayList<>();
                db.transact(tx -> {   // 101 tasks committed at once; their submits wake the workers after the commit
                    for (int i = 0; i < 101; i++) {
                        ids.add(tasks.submit("one", new WorkerLoopTest.Steps(i)));
                    }
                    return null;
                });
                TestDb.await("8 tasks to be running", Duration.ofMinutes(1), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where state = 'RUNNING'") == 8);
                // One claim per worker would be 8 statements; one batch for the idle workers is 1 (a few if some
                // worker was not idle yet when the first claim was sent).
                assertThat(claims.get()).as("claim statements that started 8 idle workers").isLessThan(8);
                gate.countDown();
                TestDb.await("101 tasks to succeed", Duration.ofMinutes(2), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where state = 'SUCCEEDED'") == ids.size());
                assertThat(db.queryScalar(Long.class, "select count(distinct task_id) from effect")).isEqualTo(101);
                assertThat(db.queryScalar(Long.class, "select count(*) from effect")).isEqualTo(101);
            } finally {
                gate.countDown();
                tasks.close();
            }
        }
    }

    @EachDatabase
    void successesWrittenInOneStatementAreEachFencedByTheirOwnToken(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            Tasks tasks = Tasks.open(db);
            for (int i = 0; i < 3; i++) {
                tasks.submit("batch", new WorkerLoopTest.Steps(i));
            }
            TaskStore store = tasks.store;
            List<TaskStore.Claim> first = store.claim(Set.of("batch"), "old", 1, System.currentTimeMillis(), 3).claims();
            assertThat(first).hasSize(3);
            Thread.sleep(20);   // the 1 ms leases have expired: another worker claims one of the tasks again
            List<TaskStore.Claim> again = store.claim(Set.of("batch"), "new", 60_000, System.currentTimeMillis(), 1)
                    .claims();
            assertThat(again).hasSize(1);
            TaskStore.Claim taken = again.get(0);
            assertThat(taken.token()).isEqualTo(2);

            assertThat(store.succeedAll(first, System.currentTimeMillis())).as("successes still held").isEqualTo(2);
            for (TaskStore.Claim c : first) {
                TaskStatus s = tasks.status(c.id());
                if (c.id().equals(taken.id())) {
                    assertThat(s.state()).as("the task the old worker lost").isEqualTo(TaskState.RUNNING);
                    assertThat(s.worker()).isEqualTo("new");
                } else {
                    assertThat(s.state()).isEqualTo(TaskState.SUCCEEDED);
                }
            }
            assertThat(store.succeedAll(List.of(taken), System.currentTimeMillis())).isEqualTo(1);
            assertThat(tasks.status(taken.id()).state()).isEqualTo(TaskState.SUCCEEDED);
        }
    }

    private final List<Path> logs = new ArrayList<>();

    private Process start(TestDatabase t, String worker) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve(worker + ".log");
        logs.add(log);
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BatchClaimChild.class.getName(),
                t.url(), t.user() == null ? "-" : t.user(),
                t.password() == null || t.password().isEmpty() ? "-" : t.password(), "4", worker, "300")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private String log(Process p) {
        StringBuilder out = new StringBuilder();
        for (Path l : logs) {
            try {
                out.append(l.getFileName()).append(": ").append(Files.readString(l)).append('\n');
            } catch (Exception e) {
                out.append(e);
            }
        }
        return out.toString();
    }
}
