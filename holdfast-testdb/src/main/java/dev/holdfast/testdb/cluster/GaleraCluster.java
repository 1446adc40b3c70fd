package dev.holdfast.testdb.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MariaDB Galera cluster on loopback, from the machine's {@code /usr/sbin/mariadbd} and the Debian package
 * {@code galera-4} ({@code /usr/lib/galera/libgalera_smm.so}); joiners copy the data by rsync state transfer. Node
 * {@code i} (from 1) serves SQL on 127.0.0.1:13310+i and uses the Galera ports 14560+i (group), 14570+i (IST) and
 * 14580+i (SST); data under {@code /tmp/holdfast-clusters/galera}. Every node has the empty database {@code test} and
 * lets {@code root} in from 127.0.0.1 without a password.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GaleraCluster galera = GaleraCluster.builder().nodes(3).build();
 *
 * @Test
 * void writesEverywhere() throws SQLException {
 *     try (Connection one = galera.node(1).connect(); Connection three = galera.node(3).connect()) { ... }
 * }
 * }</pre>
 * It is stopped after the test class, on {@link #close()}, or by a JVM shutdown hook; a start first kills servers a
 * killed JVM left running from the same directory.
 */
public final class GaleraCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** Node {@code i} listens for SQL on {@code FIRST_SQL_PORT + i}. */
    public static final int FIRST_SQL_PORT = 13310;
    static final int FIRST_GROUP_PORT = 14560;
    static final int FIRST_IST_PORT = 14570;
    static final int FIRST_SST_PORT = 14580;
    static final String DATABASE = "test";
    static final Path PROVIDER = Path.of(System.getProperty("holdfast.galera.provider", "/usr/lib/galera/libgalera_smm.so"));
    private static final int MAX_NODES = 9;

    private final int size;
    private final List<GaleraNode> nodes = new ArrayList<>();
    private ClusterDirectory directory;

    private GaleraCluster(int size) {
        this.size = size;
    }

    /** Three nodes unless {@link Builder#nodes(int)} says otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a cluster to start. */
    public static final class Builder {
        private int nodes = 3;

        private Builder() {}

        /** How many nodes (3 by default; Galera needs 3 to keep a majority when one fails). */
        public Builder nodes(int count) {
            if (count < 1 || count > MAX_NODES) {
                throw new IllegalArgumentException("nodes(" + count + "): between 1 and " + MAX_NODES);
            }
            this.nodes = count;
            return this;
        }

        /** The cluster, not yet started: {@link GaleraCluster#start()} it or register it as a JUnit extension. */
        public GaleraCluster build() {
            return new GaleraCluster(nodes);
        }
    }

    /** Bootstraps node 1 ({@code --wsrep-new-cluster}), then joins the others one by one. Idempotent. */
    public synchronized GaleraCluster start() {
        if (directory != null) {
            return this;
        }
        MissingBinaries.require(PROVIDER, "Galera", "apt-get install -y galera-4 rsync");
        MissingBinaries.require(Path.of("/usr/sbin/mariadbd"), "The MariaDB server", "apt-get install -y mariadb-server");
        long started = System.nanoTime();
        directory = ClusterDirectory.claim("galera", "GaleraCluster", this::close);
        try {
            for (int i = 1; i <= size; i++) {
                GaleraNode node = new GaleraNode(i, directory.path().resolve("node" + i));
                Files.createDirectories(node.dir().resolve("data"));
                Files.writeString(node.config(), config(node), StandardCharsets.UTF_8);
                nodes.add(node);
            }
            // mariadbd started as root switches to the mysql user; the rsync daemon a joiner runs for the state
            // transfer would otherwise run as "nobody" and be refused writing the data directory.
            LocalProcesses.chown(directory.path(), "mysql");
            GaleraNode first = nodes.get(0);
            LocalProcesses.run(List.of("mariadb-install-db", "--defaults-file=" + first.config(), "--skip-test-db",
                    "--auth-root-authentication-method=socket"), first.dir().resolve("install.log"), Duration.ofSeconds(120));
            first.spawn(true);
            first.awaitReady(true);
            String osUser = System.getProperty("user.name");
            LocalProcesses.run(List.of("mariadb", "--no-defaults", "--socket=" + first.socket(), "--user=" + osUser, "-e", """
                    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
                    GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
                    CREATE DATABASE IF NOT EXISTS %s;
                    """.formatted(DATABASE)), first.dir().resolve("setup.log"), Duration.ofSeconds(60));
            // A joiner whose data equals the cluster's needs no state transfer, and an rsync transfer costs tens of
            // seconds on a loaded machine: stop the first node cleanly (it records its position in grastate.dat),
            // give every other node a copy of its data, bootstrap it again and let the others join all at once.
            first.stop();
            for (GaleraNode node : nodes.subList(1, nodes.size())) {
                copyDirectory(first.dir().resolve("data"), node.dir().resolve("data"));
            }
            LocalProcesses.chown(directory.path(), "mysql");
            first.spawn(true);
            first.awaitReady(false);
            List<GaleraNode> joiners = nodes.subList(1, nodes.size());
            joiners.forEach(node -> node.spawn(false));
            joiners.forEach(node -> node.awaitReady(false));
            System.err.println("holdfast-testdb: Galera cluster " + nodes + " started in " + (System.nanoTime() - started) / 1_000_000
                    + " ms in " + directory.path());
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Node {@code i}, numbered from 1 as in its name and port. */
    public GaleraNode node(int i) {
        if (i < 1 || i > nodes.size()) {
            throw new IllegalArgumentException("node(" + i + "): this cluster has nodes 1 to " + nodes.size()
                    + (directory == null ? " once started" : ""));
        }
        return nodes.get(i - 1);
    }

    /** Every node, in order. */
    public List<GaleraNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Stops every node and deletes the data directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (directory == null) {
            return;
        }
        nodes.forEach(GaleraNode::kill);
        nodes.clear();
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

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("gvwstate.dat")) {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private String config(GaleraNode node) {
        int i = Integer.parseInt(node.name().substring(4));
        String members = nodeNumbers().stream().map(n -> "127.0.0.1:" + (FIRST_GROUP_PORT + n)).collect(Collectors.joining(","));
        Path dir = node.dir();
        return """
                [mysqld]
                %s
                datadir=%s
                socket=%s
                pid-file=%s
                log-error=%s
                port=%d
                bind-address=127.0.0.1
                skip-name-resolve
                binlog_format=ROW
                default_storage_engine=InnoDB
                innodb_autoinc_lock_mode=2
                innodb_buffer_pool_size=32M
                innodb_log_file_size=16M
                innodb_flush_log_at_trx_commit=2
                max_connections=80
                wsrep_on=ON
                wsrep_provider=%s
                wsrep_cluster_name=holdfast-test
                wsrep_cluster_address=gcomm://%s
                wsrep_node_name=%s
                wsrep_node_address=127.0.0.1:%d
                wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:%d;ist.recv_addr=127.0.0.1:%d;gcache.size=32M"
                wsrep_sst_method=rsync
                wsrep_sst_receive_address=127.0.0.1:%d
                """.formatted(LocalProcesses.runningAsRoot() ? "user=mysql" : "", dir.resolve("data"), node.socket(),
                dir.resolve("mariadbd.pid"), node.errorLog(), node.port(), PROVIDER, members, node.name(), FIRST_GROUP_PORT + i,
                FIRST_GROUP_PORT + i, FIRST_IST_PORT + i, FIRST_SST_PORT + i);
    }

    private List<Integer> nodeNumbers() {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    @Override
    public String toString() {
        return "GaleraCluster" + nodes;
    }
}
