package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import dev.holdfast.TransactionOptions;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class WriteThrottleTest {
    private static final TransactionOptions ONCE = TransactionOptions.defaults().withRetry(Retry.none());

    private static Database open(TestDatabase t, WriteThrottle throttle) {
        return Database.builder(t.url()).user(t.user()).password(t.password()).listener(throttle).build();
    }

    @EachDatabase
    void aWriteOverTheRateIsVetoedAndItsTransactionRolledBack(TestDatabase t) {
        // one token per 100 s and no waiting: the second write to a table within the test is always over the rate
        try (Database db = open(t, new WriteThrottle(0.01, Duration.ZERO))) {
            try (Database setup = Open.database(t)) {
                setup.execute("create table event (id int primary key)");
                setup.execute("create table audit (id int primary key)");
            }
            db.useTransaction(ONCE, tx -> tx.execute("insert into event values (1)"));
            assertThatThrownBy(() -> db.useTransaction(ONCE, tx -> {
                tx.execute("insert into audit values (1)");        // its own key: allowed
                tx.execute("insert into event values (2)");        // over the rate for 'event'
            })).isInstanceOf(WriteThrottle.Throttled.class).hasMessageContaining("'event'");

            assertThat(db.queryScalar(Long.class, "select count(*) from event")).isEqualTo(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from audit"))
                    .as("the allowed write of the vetoed transaction was rolled back with it").isZero();
            assertThat(db.query(rs -> rs.getInt(1), "select id from event")).containsExactly(1);  // reads pass
        }
    }

    @EachDatabase
    void writesWithinTheRateFromManyThreadsAreAllThere(TestDatabase t) throws Exception {
        try (Database db = open(t, new WriteThrottle(20_000, Duration.ofSeconds(5)))) {
            db.execute("create table event (id int primary key)");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> running = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int base = thread * 1000;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        int id = base + i;
                        db.useTransaction(tx -> tx.execute("insert into event values (?)", id));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(db.queryScalar(Long.class, "select count(*) from event")).isEqualTo(400);
        }
    }

    @EachDatabase
    void aThrottledTransactionIsRetriedLaterLikeAnyConflict(TestDatabase t) {
        // 5 writes/s, no waiting inside the listener: back-to-back transactions (one every 200 ms at most) are vetoed,
        // and transact's retry loop spaces them out
        WriteThrottle throttle = new WriteThrottle(5, Duration.ZERO);
        java.util.concurrent.atomic.AtomicInteger vetoes = new java.util.concurrent.atomic.AtomicInteger();
        dev.holdfast.StatementListener counted = new dev.holdfast.StatementListener() {
            @Override
            public void beforeStatement(dev.holdfast.SqlStatement s) {
                try {
                    throttle.beforeStatement(s);
                } catch (WriteThrottle.Throttled vetoed) {
                    vetoes.incrementAndGet();
                    throw vetoed;
                }
            }
        };
        try (Database db = Database.builder(t.url()).user(t.user()).password(t.password()).listener(counted).build()) {
            db.execute("create table event (id int primary key)");
            TransactionOptions patient = TransactionOptions.defaults()
                    .withRetry(Retry.exponential(100, Duration.ofMillis(20), Duration.ofMillis(100)));
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 10; i++) {
                int id = i;
                db.useTransaction(patient, tx -> {
                    attempts.incrementAndGet();
                    tx.execute("insert into event values (?)", id);
                });
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from event")).isEqualTo(10);
            assertThat(vetoes.get()).as("writes the throttle vetoed").isPositive();
            assertThat(attempts.get()).as("each veto cost one retried attempt").isEqualTo(10 + vetoes.get());
        }
    }

    @org.junit.jupiter.api.Test
    void theTableIsTheDefaultKey() {
        assertThat(WriteThrottle.tableOf(new dev.holdfast.SqlStatement(dev.holdfast.SqlStatement.Kind.UPDATE,
                "insert into Event(id) values (?)", List.of(1), 1, 1))).isEqualTo("event");
        assertThat(WriteThrottle.tableOf(new dev.holdfast.SqlStatement(dev.holdfast.SqlStatement.Kind.UPDATE,
                "update account set n = 1", List.of(), 1, 1))).isEqualTo("account");
        assertThat(WriteThrottle.tableOf(new dev.holdfast.SqlStatement(dev.holdfast.SqlStatement.Kind.UPDATE,
                "delete from audit where id = ?", List.of(1), 1, 1))).isEqualTo("audit");
    }
}
