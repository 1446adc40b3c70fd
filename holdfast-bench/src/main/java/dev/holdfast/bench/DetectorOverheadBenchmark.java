package dev.holdfast.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import dev.holdfast.testkit.detect.RaceDetector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * What the race detector's recording costs a test suite: the same small transaction (borrow a pooled connection, read
 * a row by key, update it, commit) through the plain HikariCP DataSource ({@code plain}) and through {@code
 * RaceDetector.wrap} of it ({@code recording}). The detector keeps what it records; it is cleared every 10,000
 * transactions, as a test class's detector would be by the end of the class. One operation = one transaction.
 *
 * <pre>
 * java -jar holdfast-bench/target/benchmarks.jar DetectorOverheadBenchmark            # SQLite and PostgreSQL
 * java -jar holdfast-bench/target/benchmarks.jar DetectorOverheadBenchmark -p db=MARIADB
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class DetectorOverheadBenchmark {

    @Param({"SQLITE", "POSTGRES"})
    public DatabaseKind db;

    @Param({"plain", "recording"})
    public String mode;

    private TestDatabase database;
    private HikariDataSource pool;
    private RaceDetector detector;
    private DataSource dataSource;
    private int sinceClear;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        database = TestDatabases.fresh(db);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        if (database.user() != null) {
            config.setUsername(database.user());
        }
        if (database.password() != null) {
            config.setPassword(database.password());
        }
        config.setMaximumPoolSize(1);
        config.setAutoCommit(true);
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, balance int not null)");
            s.execute("insert into account values (1, 0)");
        }
        detector = RaceDetector.create();
        dataSource = mode.equals("recording") ? detector.wrap(pool) : pool;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        database.close();
    }

    /** One small read-modify-write transaction. */
    @Benchmark
    public int transaction() throws SQLException {
        int balance;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement read = c.prepareStatement("select balance from account where id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    balance = rs.getInt(1);
                }
            }
            try (PreparedStatement write = c.prepareStatement("update account set balance = balance + ? where id = ?")) {
                write.setInt(1, 1);
                write.setInt(2, 1);
                write.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        if (++sinceClear == 10_000) {
            detector.clear();
            sinceClear = 0;
        }
        return balance;
    }
}
