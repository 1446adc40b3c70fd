package dev.holdfast.bench;

import dev.holdfast.Database;
import dev.holdfast.SqliteSynchronous;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
 * Eight threads, each committing one-row INSERT transactions as fast as it can into one SQLite file in WAL mode — the
 * web application of seed 004 — three ways:
 * <ul>
 *   <li>{@code busyTimeout}: a connection per thread, {@code busy_timeout=5000} (SQLite's busy handler sleeps and
 *       retries inside the driver); the seed's first approach;</li>
 *   <li>{@code backoff}: a connection per thread, {@code busy_timeout=0}, "database is locked" caught and retried after
 *       exponential backoff with full jitter (1 ms doubling to at most 2 s), the seed's retry loop;</li>
 *   <li>{@code holdfast}: {@code db.transact(tx -> tx.execute(insert))} through Holdfast's single writer with group
 *       commit;</li>
 *   <li>{@code holdfastExecute}: {@code db.execute(insert)}, the same insert as a statement on its own: like the
 *       connections above it sends one autocommit {@code INSERT} when the writer is free, and joins a group commit
 *       when it is not.</li>
 * </ul>
 * Throughput is ops/ms (×1000 = transactions/s); SampleTime gives the latency percentiles of one transaction, busy
 * waits and backoff included. Busy errors that reached the application are counted and printed at the end of each
 * trial ("busy errors surfaced").
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 4)
public class SqliteInsertBenchmark {
    static final String INSERT = "insert into item(payload) values (?)";
    static final String PAYLOAD = "0123456789abcdef0123456789abcdef";

    @Param({"FULL", "NORMAL"})
    public String synchronous;

    @Param({"busyTimeout", "backoff", "holdfast", "holdfastExecute"})
    public String approach;

    Path dir;
    String url;
    Database db;
    final LongAdder busyErrors = new LongAdder();
    final LongAdder transactions = new LongAdder();

    @Setup(Level.Trial)
    public void createFile() throws Exception {
        dir = Files.createTempDirectory("holdfast-bench");
        url = "jdbc:sqlite:" + dir.resolve("bench.db");
        try (Connection c = DriverManager.getConnection(url, properties(synchronous, 5000));
             Statement s = c.createStatement()) {
            s.execute("create table item(id integer primary key, payload text not null)");
        }
        if (approach.startsWith("holdfast")) {
            db = Database.builder(url).sqliteSynchronous(SqliteSynchronous.valueOf(synchronous)).build();
        }
    }

    @TearDown(Level.Trial)
    public void report() throws Exception {
        if (db != null) {
            db.close();
        }
        System.out.printf("%n# %s/%s: busy errors surfaced: %d in %d transactions (warmup included)%n", approach,
                synchronous, busyErrors.sum(), transactions.sum());
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    static Properties properties(String synchronous, int busyTimeoutMs) {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", synchronous);
        p.setProperty("busy_timeout", Integer.toString(busyTimeoutMs));
        return p;
    }

    /** A thread's own connection, for the two approaches without a writer thread. */
    @State(Scope.Thread)
    public static class OwnConnection {
        Connection connection;
        PreparedStatement insert;

        @Setup(Level.Trial)
        public void open(SqliteInsertBenchmark bench) throws SQLException {
            if (bench.approach.startsWith("holdfast")) {
                return;
            }
            int busyTimeout = bench.approach.equals("busyTimeout") ? 5000 : 0;
            connection = DriverManager.getConnection(bench.url, properties(bench.synchronous, busyTimeout));
            insert = connection.prepareStatement(INSERT);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }
    }

    @Benchmark
    public int insert(OwnConnection own) throws Exception {
        transactions.increment();
        switch (approach) {
            case "holdfast":
                return db.transact(tx -> tx.execute(INSERT, PAYLOAD));
            case "holdfastExecute":
                return db.execute(INSERT, PAYLOAD);
            case "busyTimeout":
                while (true) {
                    try {
                        own.insert.setString(1, PAYLOAD);
                        return own.insert.executeUpdate();
                    } catch (SQLException e) {
                        if (!isBusy(e)) {
                            throw e;
                        }
                        busyErrors.increment();   // waited 5 s in the busy handler and still locked
                    }
                }
            case "backoff":
                for (int attempt = 0; ; attempt++) {
                    try {
                        own.insert.setString(1, PAYLOAD);
                        return own.insert.executeUpdate();
                    } catch (SQLException e) {
                        if (!isBusy(e)) {
                            throw e;
                        }
                        busyErrors.increment();
                        long bound = Math.min(TimeUnit.SECONDS.toNanos(2), TimeUnit.MILLISECONDS.toNanos(1) << Math.min(attempt, 20));
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(bound + 1));
                    }
                }
            default:
                throw new IllegalArgumentException(approach);
        }
    }

    static boolean isBusy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || m.contains("database is locked");
    }
}
