package dev.holdfast.bench;

import dev.holdfast.Database;
import dev.holdfast.draft.Draft;
import dev.holdfast.draft.Drafts;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.util.ArrayList;
import java.util.List;
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
 * The commit of a draft of {@link #operations} operations, each changing one column of its own row (the worst case:
 * one locking read and one UPDATE per row), in one transaction. The draft is recorded before each commit, outside the
 * measurement (recording costs one short transaction per operation). One operation = one commit.
 *
 * <pre>
 * java -jar holdfast-bench/target/benchmarks.jar DraftCommitBenchmark -p db=POSTGRES
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class DraftCommitBenchmark {

    @Table("bench_setting")
    public record Setting(@Id long id, String name, int value, @Version long version) {
    }

    @Param({"POSTGRES", "MARIADB", "SQLITE"})
    public DatabaseKind db;

    @Param({"1000"})
    public int operations;

    private TestDatabase database;
    private Database holdfast;
    private Drafts drafts;
    private Draft draft;
    private int round;

    @Setup(Level.Trial)
    public void setUp() {
        database = TestDatabases.fresh(db);
        Database.Builder b = Database.builder(database.url());
        if (database.user() != null) {
            b.user(database.user());
        }
        if (database.password() != null) {
            b.password(database.password());
        }
        holdfast = b.build();
        holdfast.execute("create table bench_setting (id bigint primary key, name varchar(40) not null, "
                + "value int not null, version bigint not null)");
        List<Setting> rows = new ArrayList<>();
        for (long id = 1; id <= operations; id++) {
            rows.add(new Setting(id, "setting " + id, 0, 0));
        }
        holdfast.useTransaction(tx -> tx.insertAll(rows));
        drafts = Drafts.on(holdfast).createTables();
    }

    /** Records a fresh draft: one operation per row, not measured. */
    @Setup(Level.Invocation)
    public void record() {
        int value = ++round;
        draft = drafts.open("bench");
        for (long id = 1; id <= operations; id++) {
            draft.modify(Setting.class, id, s -> new Setting(s.id(), s.name(), value, s.version()));
        }
    }

    @Benchmark
    public void commit() {
        draft.commit();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        holdfast.close();
        database.close();
    }
}
