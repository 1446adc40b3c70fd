package dev.holdfast.bench;

import dev.holdfast.bench.peers.Library;
import dev.holdfast.bench.peers.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The contended counter: 8 threads incrementing one row as fast as they can, each library's natural read-modify-write
 * and its safe variants. Throughput comes from JMH (ops/s = increments the application saw succeed, per second).
 * Lost updates cannot: after every iteration, with all threads stopped, the counter is read and compared with the
 * increments that returned successfully; the difference is the number of increments that were acknowledged and then
 * silently overwritten. Each iteration's line is printed, and each trial's totals over its measurement iterations
 * (db, way, acknowledged, applied, lost, errors, retries, seconds from iteration set-up to tear-down) are appended
 * to the file named by {@code HOLDFAST_BENCH_RESULTS} (default {@code counter-results.tsv} in the temp dir), which
 * {@link dev.holdfast.bench.report.BenchReport} turns into the tables of docs/BENCHMARKS.md.
 *
 * <p>An increment that throws (e.g. SQLite refusing a stale read transaction's write) is counted as an error, not as
 * an increment: an error the application sees is not a silent loss.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.jboss.logging.provider=slf4j", "-Dorg.slf4j.simpleLogger.log.org.hibernate=error"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class CounterBenchmark {
    /** Also {@code postgres-nofsync} (a server ./bench starts with fsync off; see {@link dev.holdfast.bench.peers.Target}). */
    @Param({"postgres", "sqlite", "mariadb"})
    public String db;

    @Param({"jdbc-naive", "jdbc-atomic", "jdbc-forUpdate", "holdfast-modify", "holdfast-atomic", "holdfast-apply",
            "holdfast-execute",
            "hibernate-naive",
            "hibernate-version", "hibernate-pessimistic", "jdbi-naive", "jdbi-atomic", "jooq-naive", "jooq-atomic"})
    public String way;

    Peers peers;
    Library.Increment increment;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    long before;
    long startNanos;
    Throwable firstError;
    // measurement iterations, summed
    long measuredCompleted;
    long measuredApplied;
    long measuredErrors;
    long measuredRetries;
    long measuredNanos;

    @Setup(Level.Trial)
    public void open() throws Exception {
        int dash = way.indexOf('-');
        peers = Peers.open(db, way.substring(0, dash));
        increment = Library.of(peers).increment(way.substring(dash + 1));
    }

    @Setup(Level.Iteration)
    public void mark() throws Exception {
        completed.set(0);
        errors.set(0);
        retries.set(0);
        before = peers.target.counter();
        startNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void check(IterationParams iteration) throws Exception {
        long nanos = System.nanoTime() - startNanos;
        long applied = peers.target.counter() - before;
        long done = completed.get();
        System.out.printf("%n# counter %s %s %s: %d increments acknowledged, %d in the database, %d lost, %d errors,"
                        + " %d retries%n", db, way, iteration.getType(), done, applied, done - applied, errors.get(),
                retries.get());
        if (firstError != null) {
            System.out.println("# first error: " + firstError);
            firstError = null;
        }
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measuredCompleted += done;
            measuredApplied += applied;
            measuredErrors += errors.get();
            measuredRetries += retries.get();
            measuredNanos += nanos;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        peers.close();
        String line = String.join("\t", db, way, Long.toString(measuredCompleted), Long.toString(measuredApplied),
                Long.toString(measuredCompleted - measuredApplied), Long.toString(measuredErrors),
                Long.toString(measuredRetries), String.format(java.util.Locale.ROOT, "%.3f", measuredNanos / 1e9)) + "\n";
        String file = System.getenv("HOLDFAST_BENCH_RESULTS");
        Path out = file == null || file.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "counter-results.tsv") : Path.of(file);
        Files.writeString(out, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("# counter totals (db, way, acknowledged, applied, lost, errors, retries, seconds) -> " + out
                + ": " + line.strip());
    }

    @Benchmark
    public void increment() {
        try {
            int r = increment.run();
            completed.incrementAndGet();
            if (r > 0) {
                retries.addAndGet(r);
            }
        } catch (Exception e) {
            errors.incrementAndGet();
            if (firstError == null) {
                firstError = e;
            }
        }
    }
}
