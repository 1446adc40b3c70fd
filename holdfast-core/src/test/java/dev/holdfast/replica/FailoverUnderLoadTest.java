package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.error.CommitOutcomeUnknownException;
import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.testdb.cluster.PostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The primary of a synchronous PostgreSQL pair dies under 8 writing threads and the replica is promoted: every
 * acknowledged write is on the new primary, and every caller saw success, a typed failure or outcome-unknown.
 */
class FailoverUnderLoadTest {
    static final int THREADS = 8;
    static final int BEFORE = 25;  // acknowledged writes per thread (on average) before the primary is killed
    static final int AFTER = 10;   // acknowledged writes each thread needs on the new primary

    @RegisterExtension
    static final PostgresCluster cluster = PostgresCluster.builder().replicas(1).synchronous(true).build();

    @Test
    void noAcknowledgedWriteIsMissingAfterPromotion() throws Exception {
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> unknown = new ConcurrentLinkedQueue<>();
        Map<String, Integer> typedFailures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> untyped = new ConcurrentLinkedQueue<>();
        LongAdder afterPromotion = new LongAdder();
        CountDownLatch enough = new CountDownLatch(THREADS * BEFORE);
        CountDownLatch promoted = new CountDownLatch(1);

        try (Database db = Database.builder(cluster.multiHostUrl()).connectTimeout(Duration.ofSeconds(1)).poolSize(THREADS).build()) {
            db.execute("create table ledger (id bigint primary key, thread int not null)");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int sincePromotion = 0;
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    for (long i = 0; sincePromotion < AFTER && System.nanoTime() < deadline; i++) {
                        long id = thread * 1_000_000L + i;
                        boolean promotedBefore = promoted.getCount() == 0;
                        try {
                            db.transact(tx -> tx.execute("insert into ledger values (?, ?)", id, thread));
                            acknowledged.add(id);
                            enough.countDown();
                            if (promotedBefore) {
                                sincePromotion++;
                                afterPromotion.increment();
                            }
                        } catch (CommitOutcomeUnknownException e) {
                            unknown.add(id);
                        } catch (HoldfastException e) {
                            typedFailures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            if (!promotedBefore) {
                                Thread.sleep(5); // the primary is gone: do not spin while the replica is promoted
                            }
                        } catch (RuntimeException e) {
                            untyped.add(e);
                        }
                    }
                    return null;
                }));
            }
            assertThat(enough.await(3, TimeUnit.MINUTES)).as("writes before the failover").isTrue();
            int beforeKill = acknowledged.size();
            cluster.node(0).kill();
            long killed = System.nanoTime();
            cluster.replica(1).promote();
            long promotion = (System.nanoTime() - killed) / 1_000_000;
            promoted.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            Set<Long> present = new HashSet<>(db.query(rs -> rs.getLong(1), "select id from ledger"));
            Set<Long> missing = new HashSet<>(acknowledged);
            missing.removeAll(present);
            long unknownCommitted = unknown.stream().filter(present::contains).count();
            System.out.printf("failover: %d threads, synchronous replication; primary killed after %d acknowledged writes, replica "
                            + "promoted in %d ms; %d acknowledged in all (%d on the new primary), %d missing after promotion; "
                            + "%d outcome-unknown commits (%d of them committed after all); typed failures %s; untyped %d; %d ms%n",
                    THREADS, beforeKill, promotion, acknowledged.size(), afterPromotion.sum(), missing.size(), unknown.size(),
                    unknownCommitted, typedFailures, untyped.size(), (System.nanoTime() - start) / 1_000_000);
            assertThat(untyped).as("every failure is a HoldfastException").isEmpty();
            assertThat(missing).as("acknowledged writes missing after the failover").isEmpty();
            assertThat(afterPromotion.sum()).as("new transactions reach the new primary").isEqualTo((long) THREADS * AFTER);
        }
    }

}
