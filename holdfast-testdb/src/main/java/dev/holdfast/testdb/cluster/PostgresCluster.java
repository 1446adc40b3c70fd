package dev.holdfast.testdb.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL primary with streaming replicas, started from the machine's PostgreSQL 15 binaries
 * ({@code /usr/lib/postgresql/15/bin}, or the {@code holdfast.postgres.bin} system property): {@code initdb} for the
 * primary, {@code pg_basebackup -R} for each replica. The primary listens on 127.0.0.1:15440, replica {@code i} on
 * 15440 + i; the data directories live under {@code /tmp/holdfast-clusters/postgres}.
 *
 * <p>As a JUnit extension it starts before the first test of the class and is stopped after the last one, whatever
 * the tests did:
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresCluster cluster = PostgresCluster.builder().replicas(1).applyDelay(Duration.ofMillis(200)).build();
 *
 * @Test
 * void readsLag() throws SQLException {
 *     try (Connection primary = cluster.primary().connect(); Connection replica = cluster.replica(1).connect()) { ... }
 * }
 * }</pre>
 * Outside JUnit: {@code try (PostgresCluster c = PostgresCluster.builder().build().start()) { ... }}. A JVM shutdown
 * hook stops it too, and a start first kills servers a killed JVM left running from the same directory.
 */
public final class PostgresCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** The primary's port; replica {@code i} listens on {@code FIRST_PORT + i}. */
    public static final int FIRST_PORT = 15440;
    private static final int MAX_REPLICAS = 9;

    private final int replicaCount;
    private final Duration applyDelay;
    private final boolean synchronous;
    private final List<PostgresNode> nodes = new ArrayList<>();
    private ClusterDirectory directory;

    private PostgresCluster(Builder builder) {
        this.replicaCount = builder.replicas;
        this.applyDelay = builder.applyDelay;
        this.synchronous = builder.synchronous;
    }

    /** A cluster of one primary and one replica without delay, asynchronous; change it with the builder's methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a cluster to start. */
    public static final class Builder {
        private int replicas = 1;
        private Duration applyDelay = Duration.ZERO;
        private boolean synchronous;

        private Builder() {}

        /** How many streaming replicas (1 by default, at most 9). */
        public Builder replicas(int count) {
            if (count < 0 || count > MAX_REPLICAS) {
                throw new IllegalArgumentException("replicas(" + count + "): between 0 and " + MAX_REPLICAS + " (ports " + FIRST_PORT
                        + "-" + (FIRST_PORT + MAX_REPLICAS) + ")");
            }
            this.replicas = count;
            return this;
        }

        /** Each replica applies a commit only {@code delay} after it happened ({@code recovery_min_apply_delay}). */
        public Builder applyDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("applyDelay(" + delay + ") must not be negative");
            }
            this.applyDelay = delay;
            return this;
        }

        /**
         * With {@code true}, the primary's COMMIT returns only once a replica has flushed the commit to disk
         * ({@code synchronous_standby_names = '*'}): an acknowledged write survives the loss of the primary.
         */
        public Builder synchronous(boolean synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /** The cluster, not yet started: {@link PostgresCluster#start()} it or register it as a JUnit extension. */
        public PostgresCluster build() {
            return new PostgresCluster(this);
        }
    }

    /** Starts every node and waits until each replica streams from the primary. Does nothing when already started. */
    public synchronized PostgresCluster start() {
        if (directory != null) {
            return this;
        }
        MissingBinaries.require(PostgresNode.BIN.resolve("pg_basebackup"), "The PostgreSQL server",
                "apt-get install -y postgresql-15, or point -Dholdfast.postgres.bin at its bin directory");
        long started = System.nanoTime();
        directory = ClusterDirectory.claim("postgres", "PostgresCluster", this::close);
        try {
            LocalProcesses.chown(directory.path(), PostgresNode.OS_USER);
            PostgresNode primary = node(0);
            LocalProcesses.run(LocalProcesses.asUser(PostgresNode.OS_USER, List.of(PostgresNode.BIN.resolve("initdb").toString(),
                    "-D", primary.dataDir().toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")),
                    directory.path().resolve("initdb.log"), Duration.ofSeconds(120));
            append(primary.dataDir().resolve("postgresql.conf"), """
                    listen_addresses = '127.0.0.1'
                    port = %d
                    unix_socket_directories = ''
                    max_connections = 60
                    shared_buffers = 16MB
                    wal_level = replica
                    max_wal_senders = 12
                    wal_keep_size = 128MB
                    hot_standby = on
                    synchronous_standby_names = '%s'
                    """.formatted(primary.port(), synchronous ? "*" : ""));
            primary.start();
            for (int i = 1; i <= replicaCount; i++) {
                PostgresNode replica = node(i);
                LocalProcesses.run(LocalProcesses.asUser(PostgresNode.OS_USER, List.of(PostgresNode.BIN.resolve("pg_basebackup").toString(),
                        "-h", "127.0.0.1", "-p", String.valueOf(primary.port()), "-U", "postgres", "-D", replica.dataDir().toString(),
                        "-R", "-X", "stream", "--no-sync")), directory.path().resolve(replica.name() + "-basebackup.log"), Duration.ofSeconds(120));
                // postgresql.auto.conf is read last: these override what the copy of the primary's files says. A
                // replica never requires a synchronous standby of its own, or a promoted replica would block commits.
                append(replica.dataDir().resolve("postgresql.auto.conf"), """
                        port = %d
                        primary_conninfo = '%s'
                        recovery_min_apply_delay = '%dms'
                        synchronous_standby_names = ''
                        """.formatted(replica.port(), conninfo(primary, replica), applyDelay.toMillis()));
                replica.start();
            }
            awaitStreaming(primary, replicaCount);
            System.err.println("holdfast-testdb: PostgreSQL cluster " + nodes + (synchronous ? " (synchronous)" : "")
                    + (applyDelay.isZero() ? "" : ", replica apply delay " + applyDelay.toMillis() + " ms")
                    + ", started in " + (System.nanoTime() - started) / 1_000_000 + " ms in " + directory.path());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The node on port {@code FIRST_PORT + index}: 0 is the first primary, 1.. the replicas. */
    public PostgresNode node(int index) {
        if (index < 0 || index > replicaCount) {
            throw new IllegalArgumentException("node(" + index + "): this cluster has nodes 0 to " + replicaCount);
        }
        while (nodes.size() <= index) {
            int i = nodes.size();
            Path base = directory == null ? ClusterDirectory.ROOT.resolve("postgres") : directory.path();
            nodes.add(new PostgresNode("node" + i, FIRST_PORT + i, base.resolve("node" + i), base.resolve("node" + i + ".log")));
        }
        return nodes.get(index);
    }

    /** Replica {@code i} as started (the same as {@code node(i)}, i ≥ 1). */
    public PostgresNode replica(int i) {
        if (i < 1) {
            throw new IllegalArgumentException("replica(" + i + "): replicas are numbered from 1; node(0) is the first primary");
        }
        return node(i);
    }

    /** Every node, primary first. */
    public List<PostgresNode> nodes() {
        for (int i = 0; i <= replicaCount; i++) {
            node(i);
        }
        return List.copyOf(nodes);
    }

    /** The running node that is not in recovery, asked of the servers (after a promotion this is the new one). */
    public PostgresNode primary() {
        for (PostgresNode node : nodes()) {
            if (node.isRunning() && !node.isReplica()) {
                return node;
            }
        }
        throw new IllegalStateException("no running primary among " + nodes);
    }

    /**
     * One URL naming every node, for the driver to find the primary itself: {@code
     * jdbc:postgresql://127.0.0.1:15440,127.0.0.1:15441/postgres?user=postgres&targetServerType=primary}.
     */
    public String multiHostUrl() {
        return "jdbc:postgresql://" + nodes().stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","))
                + "/postgres?user=postgres&targetServerType=primary";
    }

    /** Waits until every running replica has replayed everything the primary has written so far. */
    public void awaitReplicasCaughtUp(Duration timeout) {
        PostgresNode primary = primary();
        String lsn = primary.queryString("select pg_current_wal_lsn()::text");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PostgresNode node : nodes()) {
            if (node == primary || !node.isRunning()) {
                continue;
            }
            while (!node.queryString("select (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text").equals("true")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(node + " has replayed only to " + node.replayLsn() + ", not " + lsn + ", after " + timeout);
                }
                LocalProcesses.sleep(Duration.ofMillis(20));
            }
        }
    }

    /** Stops every node and deletes the data directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (directory == null) {
            return;
        }
        for (PostgresNode node : nodes) {
            if (Files.exists(node.dataDir().resolve("postmaster.pid"))) {
                try {
                    node.kill();
                } catch (RuntimeException e) {
                    // the directory's close below kills what is left
                }
            }
        }
        directory.close();
        directory = null;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    static String conninfo(PostgresNode upstream, PostgresNode replica) {
        return "host=127.0.0.1 port=" + upstream.port() + " user=postgres application_name=" + replica.name();
    }

    private void awaitStreaming(PostgresNode primary, int replicas) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // A synchronous standby is reported 'async' until it has sent its first flush position, and only then does the
        // primary wait for it: wait for that too, or the first commits of a test are not yet synchronous
        String sql = "select count(*)::text from pg_stat_replication where state = 'streaming'"
                + (synchronous ? " and sync_state in ('sync', 'quorum')" : "");
        while (Integer.parseInt(primary.queryString(sql)) < (synchronous ? 1 : replicas)
                || synchronous && Integer.parseInt(primary.queryString(
                        "select count(*)::text from pg_stat_replication where state = 'streaming'")) < replicas) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + primary.queryString(sql) + " of " + replicas + " replicas stream from "
                        + primary + " after 60 s; logs in " + directory.path());
            }
            LocalProcesses.sleep(Duration.ofMillis(50));
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, "\n# holdfast-testdb\n" + text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster" + nodes;
    }
}
