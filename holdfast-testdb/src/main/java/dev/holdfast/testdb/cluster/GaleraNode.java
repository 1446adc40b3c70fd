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

/** One MariaDB server of a {@link GaleraCluster}: its own port, data directory, socket and Galera ports. */
public final class GaleraNode {
    static final Path MARIADBD = Path.of(System.getProperty("holdfast.mariadbd", "/usr/sbin/mariadbd"));

    private final int index;
    private final Path dir;
    private Process process;

    GaleraNode(int index, Path dir) {
        this.index = index;
        this.dir = dir;
    }

    /** {@code node1}, {@code node2}, ...: also its {@code wsrep_node_name}. */
    public String name() {
        return "node" + index;
    }

    /** The SQL port on 127.0.0.1: 13310 + the node's number. */
    public int port() {
        return GaleraCluster.FIRST_SQL_PORT + index;
    }

    /** {@code jdbc:mariadb://127.0.0.1:<port>/test?user=root}: the database {@code test}, user root without password. */
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + GaleraCluster.DATABASE + "?user=root";
    }

    /** A new autocommit connection to this node. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection(url(), p);
    }

    /** {@code wsrep_local_state_comment}: {@code Synced} when the node serves reads and writes. */
    public String state() {
        return status("wsrep_local_state_comment");
    }

    /** A {@code SHOW GLOBAL STATUS} value, e.g. {@code wsrep_cluster_size} or {@code wsrep_local_cert_failures}. */
    public String status(String name) {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("show global status like '" + name.replace("'", "") + "'")) {
            return rs.next() ? rs.getString(2) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(name() + " (port " + port() + "): " + e.getMessage(), e);
        }
    }

    /** True while the server process runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops this node as a crash would (SIGKILL); the others carry on as a cluster of two. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops this node cleanly (SIGTERM): it leaves the cluster. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Starts (or restarts) the node: it joins the cluster (by state transfer if it missed writes) and is returned once Synced. */
    public void start() {
        spawn(false);
        awaitReady(false);
    }

    void spawn(boolean bootstrap) {
        List<String> command = new java.util.ArrayList<>(List.of(MARIADBD.toString(), "--defaults-file=" + config()));
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        process = LocalProcesses.spawn(command, dir.resolve("stdout.log"));
    }

    /** Until the socket exists when {@code socketOnly} (before root may log in over TCP), else until Synced. */
    void awaitReady(boolean socketOnly) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " (mariadbd) exited with " + process.exitValue() + "; " + errorLog() + ":\n"
                        + LocalProcesses.tail(errorLog()));
            }
            if (socketOnly ? java.nio.file.Files.exists(socket()) : synced()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + " not ready 180 s after start; " + errorLog() + ":\n" + LocalProcesses.tail(errorLog()));
            }
            LocalProcesses.sleep(Duration.ofMillis(100));
        }
    }

    private boolean synced() {
        try {
            return "Synced".equals(state());
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return dir.resolve("my.cnf");
    }

    Path socket() {
        return dir.resolve("mariadbd.sock");
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    @Override
    public String toString() {
        return name() + "@" + port();
    }
}
