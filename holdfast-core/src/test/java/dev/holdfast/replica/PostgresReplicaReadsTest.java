package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.testdb.cluster.PostgresCluster;
import dev.holdfast.testdb.cluster.PostgresNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reads routed to a PostgreSQL streaming replica that replays every commit 200 ms late, on a real cluster. */
class PostgresReplicaReadsTest {
    static final Duration LAG = Duration.ofMillis(200);
    static final int THREADS = 8;
    static final int ROUNDS = 25;

    @RegisterExtension
    static final PostgresCluster cluster = PostgresCluster.builder().replicas(1).applyDelay(LAG).build();

    @Test
    void eightThreadsWritingThenReadingTheirOwnRowThroughALaggingReplicaNeverReadAStaleValue() throws Exception {
        try (Database db = Database.builder(cluster.node(0).url())
                .replica(cluster.replica(1).url())
                .replicaWait(Duration.ofSeconds(5)) // well above the lag: a read waits for the replica rather than leave it
                .poolSize(THREADS + 2)
                .build()) {
            db.execute("create table own_row (id int primary key, n int not null)");
            for (int t = 0; t < THREADS; t++) {
                db.execute("insert into own_row values (?, 0)", t);
            }
            long start = System.nanoTime();
            int stale = hammer((t, k) -> {
                db.execute("update own_row set n = ? where id = ?", k, t);
                return db.queryScalar(Integer.class, "select n from own_row where id = ?", t);
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            ReplicaReads reads = db.replicaReads();
            System.out.printf("replica-reads: %d threads x %d write-then-read, replica apply delay %d ms, replicaWait 5 s: "
                            + "%d stale reads; %d of %d reads served by the replica (%.1f%%), %d of them after waiting; "
                            + "%d on the primary (replica behind), %d (replica down); %d ms%n",
                    THREADS, ROUNDS, LAG.toMillis(), stale, reads.replica(), reads.total(), 100 * reads.replicaShare(),
                    reads.waited(), reads.primaryReplicaBehind(), reads.primaryReplicaDown(), millis);
            assertThat(stale).isZero();
            assertThat(reads.total()).isEqualTo((long) THREADS * ROUNDS + 0);

            // The same load reading with no position asked for shows what the token prevents.
            int naive = hammer((t, k) -> {
                db.execute("update own_row set n = ? where id = ?", ROUNDS + k, t);
                return db.read(ReadOptions.anyReplica(), tx -> tx.queryScalar(Integer.class, "select n from own_row where id = ?", t)) - ROUNDS;
            });
            System.out.printf("replica-reads: the same load with ReadOptions.anyReplica(): %d of %d reads stale%n", naive, THREADS * ROUNDS);
        }
    }

    /** Each thread writes k = 1..ROUNDS and reads back; returns how many reads saw less than the thread had written. */
    private static int hammer(IntBinaryOperator writeThenRead) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicInteger stale = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int k = 1; k <= ROUNDS; k++) {
                        if (writeThenRead.applyAsInt(thread, k) < k) {
                            stale.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return stale.get();
    }

    @Test
    void aTokenCarriedToAnotherDatabaseMakesItsReadWaitForTheWriteOrGoToThePrimary() throws Exception {
        PostgresNode replica = cluster.replica(1);
        try (Database writer = Database.open(cluster.node(0).url());
             Database reader = Database.builder(cluster.node(0).url()).replica(replica.url()).build()) {
            writer.execute("create table profile (id int primary key, name text not null)");
            writer.execute("insert into profile values (1, 'old')");
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            pauseReplay(replica);
            writer.execute("update profile set name = 'new' where id = 1");
            String cookie = writer.lastCommit().toString(); // what a web app would hand to the next request
            assertThat(cookie).startsWith("pg:");

            // The reader never wrote: the token is all it knows about the write.
            String sql = "select name from profile where id = 1";
            String stale = reader.read(ReadOptions.anyReplica(), tx -> tx.queryScalar(String.class, sql));
            assertThat(stale).isEqualTo("old");
            String fresh = reader.read(ReadOptions.after(CausalToken.parse(cookie)).maxWait(Duration.ZERO),
                    tx -> tx.queryScalar(String.class, sql));
            assertThat(fresh).isEqualTo("new");
            assertThat(reader.replicaReads()).isEqualTo(new ReplicaReads(1, 0, 1, 0));

            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                Future<String> waiting = background.submit(() -> reader.read(
                        ReadOptions.after(CausalToken.parse(cookie)).maxWait(Duration.ofSeconds(60)), tx -> tx.queryScalar(String.class, sql)));
                replica.execute("select pg_wal_replay_resume()");
                assertThat(waiting.get(90, TimeUnit.SECONDS)).isEqualTo("new");
            } finally {
                background.shutdownNow();
            }
            assertThat(reader.replicaReads().replica()).isEqualTo(2);
        } finally {
            replica.execute("select pg_wal_replay_resume()");
        }
    }

    @Test
    void whileTheReplicaIsDownReadsGoToThePrimaryWithoutAnError() {
        PostgresNode replica = cluster.replica(1);
        try (Database db = Database.builder(cluster.node(0).url()).replica(replica.url()).build()) {
            db.execute("create table while_down (id int primary key, n int not null)");
            db.execute("insert into while_down values (1, 7)");
            replica.stop();
            try {
                for (int i = 0; i < 3; i++) {
                    assertThat(db.queryScalar(Integer.class, "select n from while_down where id = 1")).isEqualTo(7);
                }
                assertThat(db.replicaReads()).isEqualTo(new ReplicaReads(0, 0, 0, 3));
            } finally {
                replica.start();
            }
            // Back up: after the pause the router gives a replica that failed, reads go to it again.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.replicaReads().replica() == 0) {
                assertThat(System.nanoTime()).as("reads never went back to the restarted replica").isLessThan(deadline);
                assertThat(db.queryScalar(Integer.class, "select n from while_down where id = 1")).isEqualTo(7);
            }
        }
    }

    /** The examples of docs/replicas.md, with the cluster's URLs. */
    @Test
    void theGuideExamplesRun() {
        String primaryUrl = cluster.node(0).url();
        String replicaUrl = cluster.replica(1).url();
        try (Database db = Database.builder(primaryUrl)
                .replica(replicaUrl)                      // one call per replica
                .replicaWait(Duration.ofMillis(500))      // the default: how long a read may wait for a replica
                .build();
             Database elsewhere = Database.builder(primaryUrl).replica(replicaUrl).build()) {
            db.execute("create table profile_guide (id int primary key, name text not null)");
            db.execute("insert into profile_guide values (1, 'ada')");
            int id = 1;
            String name = "grace";

            db.transact(tx -> tx.execute("update profile_guide set name = ? where id = ?", name, id));
            String cookie = db.lastCommit().toString();                  // e.g. "pg:0/3016038"

            // the next request, in any process with a Database on the same cluster
            CausalToken seen = CausalToken.parse(cookie);                // "" or null: nothing to wait for
            String current = elsewhere.read(ReadOptions.after(seen), tx -> tx.queryScalar(String.class,
                    "select name from profile_guide where id = ?", id));
            assertThat(current).isEqualTo("grace"); // from the replica if it caught up within 500 ms, else the primary
            assertThat(CausalToken.parse("")).isEqualTo(CausalToken.none());
            assertThatThrownBy(() -> db.read(ReadOptions.after(CausalToken.parse("galera:5")), tx -> 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another kind of database");
        }
        try (Database db = Database.builder(cluster.multiHostUrl())
                .connectTimeout(Duration.ofSeconds(2))
                .build()) {
            assertThat(db.queryScalar(Boolean.class, "select pg_is_in_recovery()")).isFalse();
        }
    }

    static void pauseReplay(PostgresNode replica) throws InterruptedException {
        replica.execute("select pg_wal_replay_pause()");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Database db = Database.open(replica.url())) {
            while (!"paused".equals(db.queryScalar(String.class, "select pg_get_wal_replay_pause_state()"))) {
                assertThat(System.nanoTime()).as("replay of " + replica + " not paused after 30 s").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }
}
