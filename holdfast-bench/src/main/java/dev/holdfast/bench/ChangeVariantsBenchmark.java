package dev.holdfast.bench;

import dev.holdfast.bench.peers.Library;
import dev.holdfast.bench.peers.Peers;
import dev.holdfast.bench.peers.Variants;
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
 * Ways to change one column, in same-semantics pairs measured side by side in this one benchmark, so that their
 * ratios come from one run: Holdfast's {@code modify} ({@code holdfast-modify}) against what it does written by hand
 * in JDBC ({@code jdbc-locked}: SELECT ... FOR UPDATE, UPDATE, COMMIT) and Hibernate with {@code PESSIMISTIC_WRITE}
 * ({@code hibernate-locked}); Holdfast's one-statement {@code update(Thing.class, id, set("foo", v))}
 * ({@code holdfast-set}) against a blind JDBC UPDATE in a transaction ({@code jdbc-blind}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.jboss.logging.provider=slf4j", "-Dorg.slf4j.simpleLogger.log.org.hibernate=error"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ChangeVariantsBenchmark {
    @Param({"postgres", "sqlite", "mariadb"})
    public String db;

    @Param({"jdbc-locked", "holdfast-modify", "jdbc-blind", "holdfast-set", "hibernate-locked"})
    public String way;

    Peers peers;
    Variants.Change change;
    int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        peers = Peers.open(db, way.substring(0, way.indexOf('-')));
        change = Variants.change(Library.of(peers), way.substring(way.indexOf('-') + 1));
    }

    @TearDown(Level.Trial)
    public void close() {
        peers.close();
    }

    @Benchmark
    public void change() throws Exception {
        change.run(PeersBenchmark.anyId(), ++next);
    }
}
