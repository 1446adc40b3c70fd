package dev.holdfast;

import dev.holdfast.error.ConflictException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class DeadlockRetryTest {

    /**
     * Two transactions update two rows in opposite order, and a latch makes each take its first lock before either
     * asks for its second: on PostgreSQL and MariaDB the database picks a deadlock victim, which the retry loop runs
     * again. Both increments must be there, and each transaction's afterCommit must have run exactly once.
     */
    @EachDatabase
    void deadlockVictimIsRetriedAndNothingIsLost(TestDatabase t) throws Exception {
        AtomicInteger conflicts = new AtomicInteger();
        StatementListener countConflicts = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                if (o.error() instanceof ConflictException) {
                    conflicts.incrementAndGet();
                }
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(countConflicts))) {
            db.execute("create table acct (id int primary key, n int not null)");
            db.execute("insert into acct values (1, 0), (2, 0)");

            CountDownLatch bothHoldOneLock = new CountDownLatch(2);
            AtomicInteger hooksA = new AtomicInteger();
            AtomicInteger hooksB = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> a = pool.submit(() -> transfer(db, 1, 2, bothHoldOneLock, hooksA));
                Future<Integer> b = pool.submit(() -> transfer(db, 2, 1, bothHoldOneLock, hooksB));
                int attempts = a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS);

                if (t.kind() != DatabaseKind.SQLITE) {
                    // SQLite serialises writers, so there is nothing to deadlock on; the servers must have had one.
                    assertThat(conflicts.get()).as("deadlocks reported").isPositive();
                    assertThat(attempts).as("attempts of both transactions").isGreaterThan(2);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.queryScalar(Long.class, "select n from acct where id = 1")).isEqualTo(2);
            assertThat(db.queryScalar(Long.class, "select n from acct where id = 2")).isEqualTo(2);
            assertThat(hooksA.get()).isEqualTo(1);
            assertThat(hooksB.get()).isEqualTo(1);
        }
    }

    private static int transfer(Database db, int first, int second, CountDownLatch latch, AtomicInteger hooks)
            throws InterruptedException {
        return db.transact(tx -> {
            tx.execute("update acct set n = n + 1 where id = ?", first);
            tx.afterCommit(hooks::incrementAndGet);
            if (tx.attempt() == 1) {
                latch.countDown();
                // On SQLite the other transaction cannot reach its first lock while this one holds the database,
                // so the wait ends by timeout there.
                latch.await(2, TimeUnit.SECONDS);
            }
            tx.execute("update acct set n = n + 1 where id = ?", second);
            return tx.attempt();
        });
    }
}
