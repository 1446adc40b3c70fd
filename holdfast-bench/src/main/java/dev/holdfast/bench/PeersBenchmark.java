package dev.holdfast.bench;

import dev.holdfast.bench.peers.Library;
import dev.holdfast.bench.peers.Peers;
import dev.holdfast.bench.peers.Target;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-row work, one thread, raw JDBC against Holdfast, Hibernate ORM, Jdbi and jOOQ, on the same pool settings, schema
 * and rows (see {@link Peers}). Each trial (one database × one library × one workload) starts from a fresh schema in
 * its own JVM. ops/s; for {@code insertBatch1000} one op is 1,000 rows.
 *
 * <pre>
 * java -jar holdfast-bench/target/benchmarks.jar 'PeersBenchmark' -p db=postgres,sqlite
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.jboss.logging.provider=slf4j", "-Dorg.slf4j.simpleLogger.log.org.hibernate=error"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class PeersBenchmark {
    @Param({"postgres", "sqlite", "mariadb"})
    public String db;

    @Param({"jdbc", "holdfast", "hibernate", "jdbi", "jooq"})
    public String lib;

    Peers peers;
    Library library;
    int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        peers = Peers.open(db, lib);
        library = Library.of(peers);
    }

    @TearDown(Level.Trial)
    public void close() {
        peers.close();
    }

    static long anyId() {
        return 1 + ThreadLocalRandom.current().nextInt(Target.ROWS);
    }

    /** Read one row by primary key. */
    @Benchmark
    public Object get() throws Exception {
        return library.get(anyId());
    }

    /** Insert one row, getting its generated id back. */
    @Benchmark
    public long insert() throws Exception {
        return library.insert(++next);
    }

    /** Insert 1,000 rows in one transaction. */
    @Benchmark
    public int insertBatch1000() throws Exception {
        int first = next;
        next += 1000;
        return library.insertBatch(first, 1000);
    }

    /** Change one column of one row in a transaction, the library's idiomatic way (always a new value). */
    @Benchmark
    public void change() throws Exception {
        library.change(anyId(), ++next);
    }
}
