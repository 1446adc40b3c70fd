package dev.holdfast.bench;

import dev.holdfast.Database;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.bench.peers.Target;
import dev.holdfast.tasks.Tasks;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What durable tasks send to the database per task, in {@link TasksBenchmark}'s setup (8 workers, {@code pollEvery}
 * 10 ms, tasks submitted one by one from one thread, each inserting one row in its step): every statement and COMMIT
 * seen by a {@link StatementListener}, grouped by kind, divided by the number of tasks. Not a JMH benchmark:
 *
 * <pre>{@code
 * java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.TasksStatementCount postgres 2000
 * java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.TasksStatementCount postgres 2000 db-scheduler
 * }</pre>
 *
 * <p>Tasks go in batches of {@value TasksBenchmark#BATCH}, each waited for, as in {@code completed}; the first round of
 * {@code n} warms up. Besides statements it prints this JVM's CPU time per task (client side only).
 */
public final class TasksStatementCount {
    private TasksStatementCount() {
    }

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "postgres";
        int n = (args.length > 1 ? Integer.parseInt(args[1]) : 2_000) / TasksBenchmark.BATCH * TasksBenchmark.BATCH;
        Target target = Target.of(db);
        String url = target.reset();
        if (args.length > 2 && args[2].equals("db-scheduler")) {
            dbScheduler(db, n);
            return;
        }
        if (db.equals("sqlite")) {
            url = url + "?journal_mode=WAL&busy_timeout=10000";
        }
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        LongAdder sent = new LongAdder();
        StatementListener counter = new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement s) {
                if (s.kind() == SqlStatement.Kind.BEGIN) {
                    return;   // JDBC sends no BEGIN of its own (the driver starts the transaction with the first statement)
                }
                sent.increment();
                counts.computeIfAbsent(label(s), k -> new LongAdder()).increment();
            }
        };
        try (Database database = Database.builder(url).poolSize(TasksBenchmark.WORKERS + 4).listener(counter).build()) {
            database.execute("create table task_effect (n bigint not null)");
            // -Dpoll=60000: with polls that far apart, only wake-ups move the tasks (a lost one would show as a stall)
            Duration poll = Duration.ofMillis(Long.getLong("poll", TasksBenchmark.POLL.toMillis()));
            Tasks tasks = Tasks.builder(database).pollEvery(poll).build();
            CountDownLatch[] done = {new CountDownLatch(0)};
            tasks.register("bench", TasksBenchmark.Job.class, (ctx, job) -> {
                ctx.transact(tx -> {
                    tx.execute("insert into task_effect (n) values (?)", job.n());
                    return job;
                });
                done[0].countDown();
            });
            tasks.start(TasksBenchmark.WORKERS);
            Thread.sleep(500);
            for (int round = 0; round < 2; round++) {   // the first round warms up
                counts.clear();
                sent.reset();
                long start = System.nanoTime();
                long cpuStart = cpu();
                for (int chunk = 0; chunk < n / TasksBenchmark.BATCH; chunk++) {   // as TasksBenchmark.completed
                    done[0] = new CountDownLatch(TasksBenchmark.BATCH);
                    for (int i = 0; i < TasksBenchmark.BATCH; i++) {
                        tasks.submit("bench", new TasksBenchmark.Job(i));
                    }
                    if (!done[0].await(5, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("tasks did not finish");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuMs = (cpu() - cpuStart) / 1e6;
                Map<String, Long> sorted = new TreeMap<>();
                counts.forEach((k, v) -> sorted.put(k, v.sum()));
                System.out.printf("%s, %d tasks, %.0f tasks/s: %.2f statements and commits per task, "
                        + "%.3f ms of this JVM's CPU per task%n", db, n, n / seconds, sent.sum() / (double) n,
                        cpuMs / n);
                sorted.forEach((k, v) -> System.out.printf("  %6.2f  %s%n", v / (double) n, k));
            }
            tasks.close(Duration.ofSeconds(10));
        }
    }

    /**
     * db-scheduler in the same setup as {@link TasksBenchmark} (whose trial setup it reuses): throughput and this JVM's
     * CPU per task; its statements were counted with a JDBC proxy (docs/tasks.md), not here.
     */
    private static void dbScheduler(String db, int n) throws Exception {
        TasksBenchmark b = new TasksBenchmark();
        b.db = db;
        b.library = "db-scheduler";
        b.open();
        try {
            Thread.sleep(500);
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                long cpuStart = cpu();
                for (int i = 0; i < n / TasksBenchmark.BATCH; i++) {
                    b.completed();
                }
                int done = n / TasksBenchmark.BATCH * TasksBenchmark.BATCH;
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s, db-scheduler, %d tasks, %.0f tasks/s, %.3f ms of this JVM's CPU per task%n", db,
                        done, done / seconds, (cpu() - cpuStart) / 1e6 / done);
            }
        } finally {
            b.close();
        }
    }

    /** CPU time of this JVM so far, in ns (all threads: workers, submitter, pool, JIT, GC). */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String label(SqlStatement s) {
        String sql = s.sql() == null ? s.kind().name() : s.sql().strip();
        if (sql.contains("from holdfast_task where type in (")) {
            return "claim: " + sql.substring(0, Math.min(40, sql.length())) + "...";
        }
        return sql.length() > 70 ? sql.substring(0, 70) + "..." : sql;
    }
}
