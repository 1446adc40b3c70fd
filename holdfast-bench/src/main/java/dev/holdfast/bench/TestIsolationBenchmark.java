package dev.holdfast.bench;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * The cost per test of each way to give a test a clean database, doing what the test kit's {@code @DatabaseTest} does
 * around one small test (one insert into a two-table schema): {@code rollback} (a connection, an outer transaction, a
 * rollback), {@code clone} (a fresh database with the setup applied, dropped afterwards; SQLite copies a template
 * file), and, for comparison, {@code recreate}: dropping and re-creating the schema on one kept connection. One
 * operation = one test.
 *
 * <pre>
 * java -jar holdfast-bench/target/benchmarks.jar TestIsolationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class TestIsolationBenchmark {
    private static final String[] SCHEMA = {
        "create table account (id int primary key, balance int not null)",
        "create table entry (id int primary key, account_id int not null, amount int not null)",
        "insert into account (id, balance) values (1, 100)"
    };

    @Param({"SQLITE", "POSTGRES", "MARIADB"})
    public DatabaseKind db;

    @Param({"rollback", "clone", "recreate"})
    public String mode;

    private TestDatabase shared;
    private Connection kept;
    private Path template;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        shared = TestDatabases.fresh(db);
        kept = shared.connect();
        setup(kept);
        template = db == DatabaseKind.SQLITE ? Path.of(shared.url().substring("jdbc:sqlite:".length())) : null;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        kept.close();
        shared.close();
    }

    /** One test, isolated the way {@link #mode} says. */
    @Benchmark
    public void oneTest() throws Exception {
        switch (mode) {
            case "rollback" -> {
                try (Connection c = shared.connect()) {
                    c.setAutoCommit(false);
                    work(c);
                    c.rollback();
                }
            }
            case "clone" -> {
                try (TestDatabase fresh = TestDatabases.fresh(db)) {
                    if (template != null) {
                        Files.copy(template, Path.of(fresh.url().substring("jdbc:sqlite:".length())),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    try (Connection c = fresh.connect()) {
                        if (template == null) {
                            setup(c);
                        }
                        work(c);
                    }
                }
            }
            case "recreate" -> {
                try (Statement st = kept.createStatement()) {
                    st.execute("drop table entry");
                    st.execute("drop table account");
                }
                setup(kept);
                work(kept);
            }
            default -> throw new IllegalArgumentException("mode is rollback, clone or recreate, not " + mode);
        }
    }

    private static void setup(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : SCHEMA) {
                st.execute(s);
            }
        }
    }

    private static void work(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("insert into entry (id, account_id, amount) values (1, 1, 5)");
        }
    }
}
