package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class WriteSkewTest {

    /**
     * Two doctors on call each go off call if the other is still on. Both read "two on call" before either writes:
     * at REPEATABLE READ both would go off (write skew); at SERIALIZABLE PostgreSQL aborts one with 40001, the retry
     * loop runs it again, it now sees one doctor on call and stays. The final state is that of a serial order.
     */
    @EachDatabase(DatabaseKind.POSTGRES)
    void serializableFailureIsRetriedToASerialOutcome(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table doctor (name text primary key, on_call boolean not null)");
            db.execute("insert into doctor values ('alice', true), ('bob', true)");
            CountDownLatch bothRead = new CountDownLatch(2);
            TransactionOptions serializable = TransactionOptions.defaults().withIsolation(Isolation.SERIALIZABLE);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> a = pool.submit(() -> goOffCall(db, serializable, "alice", bothRead));
                Future<Integer> b = pool.submit(() -> goOffCall(db, serializable, "bob", bothRead));
                int attempts = a.get(30, TimeUnit.SECONDS) + b.get(30, TimeUnit.SECONDS);
                assertThat(attempts).as("at least one transaction had to run again").isGreaterThanOrEqualTo(3);
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from doctor where on_call")).isEqualTo(1);
        }
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void repeatableReadAllowsTheSkewThatSerializablePrevents(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table doctor (name text primary key, on_call boolean not null)");
            db.execute("insert into doctor values ('alice', true), ('bob', true)");
            CountDownLatch bothRead = new CountDownLatch(2);
            TransactionOptions rr = TransactionOptions.defaults().withIsolation(Isolation.REPEATABLE_READ);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> a = pool.submit(() -> goOffCall(db, rr, "alice", bothRead));
                Future<Integer> b = pool.submit(() -> goOffCall(db, rr, "bob", bothRead));
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from doctor where on_call"))
                    .as("both went off call: the anomaly this test exists to show")
                    .isZero();
        }
    }

    private static int goOffCall(Database db, TransactionOptions options, String name, CountDownLatch bothRead)
            throws InterruptedException {
        return db.transact(options, tx -> {
            long onCall = tx.queryScalar(Long.class, "select count(*) from doctor where on_call");
            if (tx.attempt() == 1) {
                bothRead.countDown();
                bothRead.await(5, TimeUnit.SECONDS);
            }
            if (onCall >= 2) {
                tx.execute("update doctor set on_call = false where name = ?", name);
            }
            return tx.attempt();
        });
    }
}
