package dev.holdfast.testdb.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * One PostgreSQL server of a {@link PostgresCluster}: the primary or a streaming replica, on its own port and data
 * directory. Tests stop, kill, restart and promote nodes to stage failures.
 */
public final class PostgresNode {
    static final Path BIN = Path.of(System.getProperty("holdfast.postgres.bin", "/usr/lib/postgresql/15/bin"));
    static final String OS_USER = "postgres";

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path log;

    PostgresNode(String name, int port, Path dataDir, Path log) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** {@code node0} (the first primary), {@code node1}, ...: also its {@code application_name} upstream. */
    public String name() {
        return name;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres?user=postgres}: trust authentication, no password. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A new autocommit connection, with a short connect timeout so a stopped node fails fast. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url(), p);
    }

    /** True when this node is a replica replaying WAL ({@code pg_is_in_recovery()}). */
    public boolean isReplica() {
        return queryString("select pg_is_in_recovery()::text").equals("true");
    }

    /** True when the node accepts connections. */
    public boolean isRunning() {
        try (Connection c = connect()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The WAL position this replica has replayed ({@code pg_last_wal_replay_lsn()}), e.g. {@code 0/3016038}. */
    public String replayLsn() {
        return queryString("select pg_last_wal_replay_lsn()::text");
    }

    /**
     * Delays the replay of each commit on this replica by {@code delay} ({@code recovery_min_apply_delay}), so a read
     * here misses a recent write: lag on purpose. {@link Duration#ZERO} removes it.
     */
    public void applyDelay(Duration delay) {
        execute("alter system set recovery_min_apply_delay = '" + delay.toMillis() + "ms'", "select pg_reload_conf()");
    }

    /** Stops the server cleanly ({@code pg_ctl stop -m fast}). */
    public void stop() {
        pgCtl("stop", "-m", "fast");
    }

    /**
     * Stops the server as a crash would ({@code pg_ctl stop -m immediate}): no shutdown checkpoint, connections cut,
     * whatever was not yet sent to a replica stays only in this node's WAL.
     */
    public void kill() {
        pgCtl("stop", "-m", "immediate");
    }

    /** Starts a stopped node again, as the primary or replica it was. */
    public void start() {
        pgCtl("start", "-l", log.toString());
    }

    /** Promotes this replica to primary ({@code pg_ctl promote}) and waits until it accepts writes. */
    public void promote() {
        pgCtl("promote");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (isReplica()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " still in recovery 60 s after pg_ctl promote; log " + log + ":\n" + LocalProcesses.tail(log));
            }
            LocalProcesses.sleep(Duration.ofMillis(50));
        }
    }

    /** Makes this replica stream from {@code upstream} instead (after a failover); a reload is enough since PG 13. */
    public void follow(PostgresNode upstream) {
        execute("alter system set primary_conninfo = '" + PostgresCluster.conninfo(upstream, this) + "'", "select pg_reload_conf()");
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    void pgCtl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60"));
        command.addAll(List.of(args));
        LocalProcesses.run(LocalProcesses.asUser(OS_USER, command), log.resolveSibling(name + "-pg_ctl.log"), Duration.ofSeconds(90));
    }

    /** Runs one query on this node and returns its first value as text, e.g. {@code queryString("show port")}. */
    public String queryString(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(name + " (port " + port + "): " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements on this node, each on its own, e.g. {@code execute("select pg_wal_replay_pause()")}. */
    public void execute(String... statements) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + " (port " + port + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
