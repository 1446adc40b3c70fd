package dev.holdfast.bench;

import dev.holdfast.Database;
import dev.holdfast.Isolation;
import dev.holdfast.bench.peers.Target;
import dev.holdfast.bench.peers.Thing;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a transaction's boundaries alone, without an fsync to hide it: a read-only transaction at REPEATABLE
 * READ (a real transaction: begin, one SELECT by id, commit) on a database whose default level is REPEATABLE READ.
 * Used to measure changes to {@code Transaction.begin()}/{@code close()} (docs/BENCHMARKS.md, "hot-path changes").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ReadTransactionBenchmark {
    @Param({"postgres", "mariadb"})
    public String db;

    Database database;

    @Setup(Level.Trial)
    public void open() throws Exception {
        String url = Target.of(db).reset();
        database = Database.builder(url).isolation(Isolation.REPEATABLE_READ).build();
    }

    @TearDown(Level.Trial)
    public void close() {
        database.close();
    }

    @Benchmark
    public Thing readTransaction() {
        long id = PeersBenchmark.anyId();
        return database.read(tx -> tx.get(Thing.class, id));
    }
}
