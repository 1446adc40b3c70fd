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
 * 10 ms, tasks submitted one by one from one thread, each inserting one row in its step): every statement, BEGIN and
 * COMMIT seen by a {@link StatementListener}, grouped by kind, divided by the number of tasks. Not a JMH benchmark:
 *
 * <pre>{@code java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.TasksStatementCount postgres 2000}</pre>
 */
public final class TasksStatementCount {
    private TasksStatementCount() {
    }

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "postgres";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Target target = Target.of(db);
        String url = target.reset();
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
            Tasks tasks = Tasks.builder(database).pollEvery(TasksBenchmark.POLL).build();
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
                done[0] = new CountDownLatch(n);
                counts.clear();
                sent.reset();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    tasks.submit("bench", new TasksBenchmark.Job(i));
                }
                if (!done[0].await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("tasks did not finish");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Long> sorted = new TreeMap<>();
                counts.forEach((k, v) -> sorted.put(k, v.sum()));
                System.out.printf("%s, %d tasks, %.0f tasks/s: %.2f statements and commits per task%n", db, n,
                        n / seconds, sent.sum() / (double) n);
                sorted.forEach((k, v) -> System.out.printf("  %6.2f  %s%n", v / (double) n, k));
            }
            tasks.close(Duration.ofSeconds(10));
        }
    }

    private static String label(SqlStatement s) {
        String sql = s.sql() == null ? s.kind().name() : s.sql().strip();
        if (sql.contains("from holdfast_task where type in (")) {
            return "claim: " + sql.substring(0, Math.min(40, sql.length())) + "...";
        }
        return sql.length() > 70 ? sql.substring(0, 70) + "..." : sql;
    }
}
