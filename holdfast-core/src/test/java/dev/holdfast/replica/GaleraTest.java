package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import dev.holdfast.testdb.cluster.GaleraCluster;
import dev.holdfast.testdb.cluster.GaleraNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A three-node MariaDB Galera cluster: every node takes writes, and conflicts surface at COMMIT. */
class GaleraTest {
    static final int THREADS = 8;
    static final int ROUNDS = 25;
    static final int ROWS = 4;

    @RegisterExtension
    static final GaleraCluster galera = GaleraCluster.builder().nodes(3).build();

    @Test
    void eightThreadsIncrementingTheSameRowsThroughDifferentNodesLoseNoIncrementAndRunAfterCommitOnce() throws Exception {
        List<Database> nodes = new ArrayList<>();
        try {
            for (GaleraNode node : galera.nodes()) {
                nodes.add(Database.builder(node.url()).poolSize(4)
                        .retry(Retry.exponential(200, Duration.ofMillis(1), Duration.ofMillis(50))).build());
            }
            Database first = nodes.get(0);
            first.execute("create table counter (id int primary key, n int not null)");
            for (int id = 0; id < ROWS; id++) {
                first.execute("insert into counter values (?, 0)", id);
            }
            CausalToken created = first.lastCommit();
            for (Database node : nodes) { // every node has applied the rows before the load starts
                assertThat((Long) node.read(ReadOptions.after(created), tx -> tx.queryScalar(Long.class, "select count(*) from counter")))
                        .isEqualTo((long) ROWS);
            }
            LongAdder attempts = new LongAdder();
            LongAdder afterCommit = new LongAdder();
            long[] before = certificationCounters();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> done = new ArrayList<>();
            long began = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Database db = nodes.get(t % nodes.size()); // threads 0, 3, 6 on node 1; 1, 4, 7 on node 2; 2, 5 on node 3
                done.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < ROUNDS; k++) {
                        db.useTransaction(tx -> {
                            attempts.increment();
                            tx.execute("update counter set n = n + 1 where id = ?", thread % ROWS);
                            tx.execute("update counter set n = n + 1 where id = ?", (thread + 1) % ROWS);
                            tx.afterCommit(afterCommit::increment);
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long millis = (System.nanoTime() - began) / 1_000_000;
            long[] after = certificationCounters();

            long committed = (long) THREADS * ROUNDS;
            CausalToken last = first.lastCommit();
            for (Database db : nodes) {
                long total = db.read(ReadOptions.after(last), tx -> tx.queryScalar(Long.class, "select sum(n) from counter"));
                assertThat(total).as("increments on " + db).isEqualTo(2 * committed);
            }
            System.out.printf("galera: %d threads x %d transactions (2 increments each) through 3 nodes: %d increments expected, "
                            + "0 lost; %d attempts, %d retried after a conflict; afterCommit ran %d times; "
                            + "wsrep_local_cert_failures +%d, wsrep_local_bf_aborts +%d; %d ms%n",
                    THREADS, ROUNDS, 2 * committed, attempts.sum(), attempts.sum() - committed, afterCommit.sum(),
                    after[0] - before[0], after[1] - before[1], millis);
            assertThat(afterCommit.sum()).isEqualTo(committed);
        } finally {
            nodes.forEach(Database::close);
        }
    }

    @Test
    void aTokenFromOneNodeMakesAReadOnAnotherWaitForTheCluster() {
        try (Database one = Database.open(galera.node(1).url()); Database three = Database.open(galera.node(3).url())) {
            one.execute("create table note (id int primary key, body varchar(40) not null)");
            one.execute("insert into note values (1, 'written on node 1')");
            CausalToken token = CausalToken.parse(one.lastCommit().toString());
            assertThat(token.isGalera()).isTrue();

            List<Object> seen = three.read(ReadOptions.after(token), tx -> List.of(
                    tx.queryScalar(Long.class, "select @@wsrep_sync_wait"),
                    tx.queryScalar(String.class, "select body from note where id = 1")));
            assertThat(seen).containsExactly(1L, "written on node 1");
            // A read that asks for nothing does not pay for the wait.
            assertThat((Long) three.read(tx -> tx.queryScalar(Long.class, "select @@wsrep_sync_wait"))).isEqualTo(0L);
        }
    }

    @Test
    void otherNodesServeAsReplicasThatWaitForTheCallersWrites() {
        try (Database db = Database.builder(galera.node(1).url()).replica(galera.node(2).url()).replica(galera.node(3).url()).build()) {
            db.execute("create table profile (id int primary key, name varchar(40) not null)");
            db.execute("insert into profile values (1, 'old')");
            for (int i = 0; i < 10; i++) {
                String name = "name " + i;
                db.execute("update profile set name = ? where id = 1", name);
                assertThat(db.queryScalar(String.class, "select name from profile where id = 1")).isEqualTo(name);
            }
            assertThat((Long) db.read(tx -> tx.queryScalar(Long.class, "select @@wsrep_sync_wait"))).isEqualTo(1L);
            assertThat(db.replicaReads().replica()).isEqualTo(11);
        }
    }

    /** wsrep_local_cert_failures and wsrep_local_bf_aborts summed over the nodes. */
    private static long[] certificationCounters() {
        long cert = 0;
        long bf = 0;
        for (GaleraNode node : galera.nodes()) {
            cert += Long.parseLong(node.status("wsrep_local_cert_failures"));
            bf += Long.parseLong(node.status("wsrep_local_bf_aborts"));
        }
        return new long[] {cert, bf};
    }
}
