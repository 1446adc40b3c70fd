package dev.holdfast.bench;

import dev.holdfast.Database;
import dev.holdfast.SqliteSynchronous;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Producers that do not wait for each other: each of 8 threads queues {@value #BURST} one-row INSERT transactions with
 * {@code db.transactAsync}, then waits for all of them to be committed. The writer then commits large groups with one
 * fsync each. Throughput is committed rows (transactions) per ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 4)
public class SqliteAsyncBenchmark {
    static final int BURST = 1000;

    @Param({"FULL", "NORMAL"})
    public String synchronous;

    Path dir;
    Database db;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("holdfast-bench");
        db = Database.builder("jdbc:sqlite:" + dir.resolve("bench.db"))
                .sqliteSynchronous(SqliteSynchronous.valueOf(synchronous)).build();
        db.execute("create table item(id integer primary key, payload text not null)");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        db.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void burstThenWait() {
        CompletableFuture<?>[] done = new CompletableFuture<?>[BURST];
        for (int i = 0; i < BURST; i++) {
            done[i] = db.transactAsync(tx -> tx.execute(SqliteInsertBenchmark.INSERT, SqliteInsertBenchmark.PAYLOAD));
        }
        CompletableFuture.allOf(done).join();
    }
}
