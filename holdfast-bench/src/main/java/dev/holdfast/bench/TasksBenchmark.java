package dev.holdfast.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.Database;
import dev.holdfast.bench.peers.Target;
import dev.holdfast.tasks.Tasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable tasks, Holdfast against db-scheduler on the same database in the same run, 8 worker threads each.
 *
 * <ul>
 *   <li>{@code completed}: the benchmark thread submits {@value #BATCH} tasks and waits until all have run; each task
 *       inserts one row. Holdfast's task inserts it in {@code ctx.transact}, so the row and the task's checkpoint commit
 *       together (fenced by the claim's token); db-scheduler's task inserts it on its own connection (it has no
 *       checkpoint), then db-scheduler records the completion. Score: tasks completed per second.</li>
 *   <li>{@code submitToStart}: one task submitted, timed until its handler starts (both wake their local workers on a
 *       submit: Holdfast always, db-scheduler with {@code enableImmediateExecution}). Score: sampled latency.</li>
 * </ul>
 *
 * <p>Both poll every 10 ms when idle. PostgreSQL: db-scheduler polls with lock-and-fetch ({@code FOR UPDATE SKIP
 * LOCKED}, its fastest strategy there). SQLite: db-scheduler has no SQLite support of its own; it runs its generic SQL
 * over a HikariCP pool of WAL connections with a busy timeout.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class TasksBenchmark {
    static final int BATCH = 200;
    static final int WORKERS = 8;
    static final Duration POLL = Duration.ofMillis(10);

    @Param({"postgres", "sqlite"})
    public String db;

    @Param({"holdfast", "db-scheduler"})
    public String library;

    /** A Holdfast task's state. */
    public record Job(long n) {
    }

    Target target;
    String url;
    Database database;
    Tasks tasks;
    HikariDataSource dataSource;
    Scheduler scheduler;
    OneTimeTask<Void> dbSchedulerTask;
    final AtomicLong submitted = new AtomicLong();
    volatile CountDownLatch finished;
    volatile CountDownLatch started;

    @Setup(Level.Trial)
    public void open() throws Exception {
        target = Target.of(db);
        url = target.reset();
        if (db.equals("sqlite")) {
            url = url + "?journal_mode=WAL&busy_timeout=10000";
        }
        if (library.equals("holdfast")) {
            database = Database.builder(url).poolSize(WORKERS + 4).build();
            database.execute("create table task_effect (n bigint not null)");
            tasks = Tasks.builder(database).pollEvery(POLL).build();
            tasks.register("bench", Job.class, (ctx, job) -> {
                started();
                ctx.transact(tx -> {
                    tx.execute("insert into task_effect (n) values (?)", job.n());
                    return job;
                });
                finished();
            });
            tasks.start(WORKERS);
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(WORKERS + 4);
            dataSource = new HikariDataSource(config);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table task_effect (n bigint not null)");
                s.execute(db.equals("sqlite") ? """
                        create table scheduled_tasks (task_name text not null, task_instance text not null,
                          task_data blob, execution_time timestamp not null, picked boolean not null, picked_by text,
                          last_success timestamp, last_failure timestamp, consecutive_failures int,
                          last_heartbeat timestamp, version bigint not null, priority smallint,
                          primary key (task_name, task_instance))""" : """
                        create table scheduled_tasks (task_name text not null, task_instance text not null,
                          task_data bytea, execution_time timestamp with time zone not null, picked boolean not null,
                          picked_by text, last_success timestamp with time zone,
                          last_failure timestamp with time zone, consecutive_failures int,
                          last_heartbeat timestamp with time zone, version bigint not null, priority smallint,
                          primary key (task_name, task_instance))""");
                s.execute("create index execution_time_idx on scheduled_tasks (execution_time)");
            }
            dbSchedulerTask = com.github.kagkarlsson.scheduler.task.helper.Tasks.oneTime("bench")
                    .execute((instance, context) -> {
                        started();
                        try (Connection c = dataSource.getConnection();
                             PreparedStatement ps = c.prepareStatement("insert into task_effect (n) values (?)")) {
                            ps.setLong(1, Long.parseLong(instance.getId()));
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        finished();
                    });
            var builder = Scheduler.create(dataSource, dbSchedulerTask).threads(WORKERS).pollingInterval(POLL)
                    .enableImmediateExecution();
            if (db.equals("postgres")) {
                builder.pollUsingLockAndFetch(0.5, 1.0);
            }
            scheduler = builder.build();
            scheduler.start();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (tasks != null) {
            tasks.close(Duration.ofSeconds(10));
            database.close();
        }
        if (scheduler != null) {
            scheduler.stop();
            dataSource.close();
        }
    }

    private void started() {
        CountDownLatch s = started;
        if (s != null) {
            s.countDown();
        }
    }

    private void finished() {
        CountDownLatch f = finished;
        if (f != null) {
            f.countDown();
        }
    }

    private void submit() {
        long n = submitted.incrementAndGet();
        if (tasks != null) {
            tasks.submit("bench", new Job(n));
        } else {
            scheduler.schedule(dbSchedulerTask.instance(Long.toString(n)), Instant.now());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void completed() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        finished = done;
        for (int i = 0; i < BATCH; i++) {
            submit();
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(library + " on " + db + ": " + done.getCount() + " of " + BATCH
                    + " tasks did not run within 5 minutes");
        }
        finished = null;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void submitToStart() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        started = go;
        submit();
        if (!go.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException(library + " on " + db + ": a task did not start within a minute");
        }
        started = null;
    }
}
