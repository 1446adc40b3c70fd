package dev.holdfast.bench;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import dev.holdfast.testkit.Actor;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;
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
 * How long the interleaver takes to explore the counter scenario exhaustively, state reset and oracle included: two
 * actors of three steps each (select, update, commit in one READ COMMITTED transaction; on SQLite an atomic update:
 * BEGIN IMMEDIATE, UPDATE, COMMIT): at most C(6,3) = 20 schedules, fewer where an order cannot happen because a step
 * waits on a lock. One operation = one whole exploration; the schedule count is printed at set-up. {@code connections}
 * compares, in one run: the default ({@code reused}: the actors' connections kept across the schedules, and the state
 * reset by restoring a snapshot of the setup's tables), connections kept but the setup run again on an emptied
 * database before every schedule ({@code reused-setup}, {@code rerunSetup()}), and how the kit worked before issue 18
 * ({@code fresh}: new connections and the setup again for every schedule, {@code freshConnections().rerunSetup()}).
 * SQLite's connections are new and its setup runs again in every case.
 *
 * <pre>
 * mvn -q -pl holdfast-bench -am package -DskipTests
 * java -jar holdfast-bench/target/benchmarks.jar InterleaverBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class InterleaverBenchmark {

    @Param({"SQLITE", "POSTGRES", "MARIADB"})
    public DatabaseKind db;

    @Param({"reused", "reused-setup", "fresh"})
    public String connections;

    private TestDatabase tdb;
    private Interleaver interleaver;

    @Setup(Level.Trial)
    public void setUp() {
        tdb = TestDatabases.fresh(db);
        Actor increment = db == DatabaseKind.SQLITE
                ? d -> d.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1"))
                : d -> d.transact(tx -> {
                    int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
                    return tx.execute("update counter set n = ? where id = 1", n + 1);
                });
        Interleaver.Builder builder = Interleaver.on(tdb)
                .setup(d -> {
                    d.execute("create table counter (id int primary key, n int not null)");
                    d.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment)
                .actor("B", increment)
                .finalState("select n from counter");
        interleaver = switch (connections) {
            case "reused" -> builder.build();
            case "reused-setup" -> builder.rerunSetup().build();
            case "fresh" -> builder.freshConnections().rerunSetup().build();
            default -> throw new IllegalArgumentException(connections);
        };
        Exploration first = interleaver.explore();
        System.out.printf("%n# %s, %s connections: %d schedules per exploration, %d failing%n", db, connections,
                first.schedules(),
                first.failures().size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tdb.close();
    }

    /** One exhaustive exploration of the counter scenario. */
    @Benchmark
    public Exploration explore() {
        return interleaver.explore();
    }
}
