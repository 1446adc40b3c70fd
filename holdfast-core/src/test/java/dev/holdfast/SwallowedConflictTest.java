package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.error.DeadlockException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * docs/transactions.md, "Do not swallow a conflict": a body that catches a real deadlock and carries on must not
 * commit half of what it meant to do. MariaDB rolls a deadlock victim back whole and would let the rest commit;
 * PostgreSQL refuses every later statement of the attempt. Either way the attempt is retried and commits whole.
 */
class SwallowedConflictTest {

    @FunctionalInterface
    interface SecondLock {
        void take(Transaction tx, int id);
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aBodyThatSwallowsARealDeadlockIsRetriedAndCommitsNothingPartial(TestDatabase t) throws Exception {
        runDeadlock(t, (tx, id) -> tx.execute("update acct set n = n + 1 where id = ?", id));
    }

    /** The same inside a savepoint: MariaDB took the savepoint with the victim, so the rest cannot commit either. */
    @EachDatabase({DatabaseKind.MARIADB})
    void aDeadlockSwallowedAroundASavepointOnMariaDbIsRetriedToo(TestDatabase t) throws Exception {
        runDeadlock(t, (tx, id) -> tx.savepoint(sp -> sp.execute("update acct set n = n + 1 where id = ?", id)));
    }

    private static void runDeadlock(TestDatabase t, SecondLock second) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table acct (id int primary key, n int not null)");
            db.execute("insert into acct values (1, 0), (2, 0)");
            db.execute("create table audit (who varchar(10) not null)");
            CountDownLatch bothHoldOneLock = new CountDownLatch(2);
            AtomicInteger swallowed = new AtomicInteger();
            AtomicInteger attempts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = pool.submit(() -> transfer(db, "a", 1, 2, bothHoldOneLock, second, swallowed, attempts));
                Future<?> b = pool.submit(() -> transfer(db, "b", 2, 1, bothHoldOneLock, second, swallowed, attempts));
                // (transfer returns a value so that these are Callables, which may throw InterruptedException)
                a.get(120, TimeUnit.SECONDS);
                b.get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(swallowed.get()).as("deadlocks the bodies caught").isPositive();
            assertThat(attempts.get()).as("the victim ran again").isGreaterThan(2);
            assertThat(db.query(rs -> rs.getInt(1), "select n from acct order by id")).containsExactly(2, 2);
            assertThat(db.query(rs -> rs.getString(1), "select who from audit order by who")).containsExactly("a", "b");
        }
    }

    private static int transfer(Database db, String who, int first, int secondId, CountDownLatch latch,
                                SecondLock second, AtomicInteger swallowed, AtomicInteger attempts)
            throws InterruptedException {
        return db.transact(tx -> {
            attempts.incrementAndGet();
            tx.execute("update acct set n = n + 1 where id = ?", first);
            if (tx.attempt() == 1) {
                latch.countDown();
                latch.await(30, TimeUnit.SECONDS);   // both hold their first lock: the second makes a deadlock
            }
            try {
                second.take(tx, secondId);
            } catch (DeadlockException e) {
                swallowed.incrementAndGet();   // the mistake under test: carry on as if nothing happened
            }
            return tx.execute("insert into audit values (?)", who);
        });
    }
}
