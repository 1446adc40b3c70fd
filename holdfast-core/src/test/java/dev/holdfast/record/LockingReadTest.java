package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.Retry;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.TransactionOptions;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.LockTimeoutException;
import static dev.holdfast.record.TestRecords.Counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Locking reads and named locks: what they send, what they refuse, and that another session sees them. */
class LockingReadTest {

    @EachDatabase
    void lockingReadsAreRefusedWhereTheyWouldProtectNothing(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            db.insert(new Counter(null, 0, null));
            assertThatThrownBy(() -> db.read(tx -> tx.select(Counter.class).forUpdate().list()))
                    .isInstanceOf(HoldfastException.class).hasMessageContaining("forUpdate() in db.read(...)");
            assertThatThrownBy(() -> db.read(tx -> tx.select(Counter.class).forShare().list()))
                    .hasMessageContaining("Use db.transact(...)");
            assertThatThrownBy(() -> db.transact(tx -> tx.select(Counter.class).skipLocked().list()))
                    .hasMessageContaining("add forUpdate() or forShare()");
            if (t.kind() == DatabaseKind.SQLITE) {
                assertThatThrownBy(() -> db.read(tx -> {
                    tx.lock("x");
                    return null;
                })).hasMessageContaining("a read transaction cannot keep writers out");
            }
        }
    }

    @EachDatabase
    void selectTranslatesPerDatabase(TestDatabase t) {
        List<String> sent = new ArrayList<>();
        try (Database db = Databases.open(t, b -> b.listener(new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement st) {
                sent.add(st.sql());
            }
        }))) {
            TestRecords.createTables(db, t.kind());
            for (int i = 0; i < 5; i++) {
                db.insert(new Counter(null, i, null));
            }
            sent.clear();
            List<Counter> got = db.transact(tx -> tx.select(Counter.class).where("count >= ?", 2)
                    .orderBy("count desc").limit(2).forShare().noWait().list());
            assertThat(got).extracting(Counter::count).containsExactly(4L, 3L);
            db.transact(tx -> tx.select(Counter.class).forUpdate().skipLocked().list());
            List<String> selects = sent.stream().filter(s -> s.startsWith("SELECT")).toList();
            switch (t.kind()) {
                case SQLITE -> assertThat(selects).allSatisfy(s -> assertThat(s).doesNotContain("FOR", "LOCK"));
                case POSTGRES -> assertThat(selects).containsSubsequence(
                        "SELECT \"id\", \"count\", \"note\" FROM \"counter\" WHERE (count >= ?) ORDER BY count desc LIMIT 2 FOR SHARE NOWAIT",
                        "SELECT \"id\", \"count\", \"note\" FROM \"counter\" FOR UPDATE SKIP LOCKED");
                case MARIADB -> assertThat(selects).containsSubsequence(
                        "SELECT `id`, `count`, `note` FROM `counter` WHERE (count >= ?) ORDER BY count desc LIMIT 2 LOCK IN SHARE MODE NOWAIT",
                        "SELECT `id`, `count`, `note` FROM `counter` FOR UPDATE SKIP LOCKED");
            }
        }
    }

    /** One session holds a row lock; another skips that row, or fails at once with NOWAIT, instead of waiting. */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void skipLockedAndNoWaitSeeAnotherSessionsLock(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long first = db.insert(new Counter(null, 1, null)).id();
            long second = db.insert(new Counter(null, 2, null)).id();
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> holder = pool.submit(() -> {
                    db.useTransaction(tx -> {
                        tx.select(Counter.class).where("id = ?", first).forUpdate().one();
                        locked.countDown();
                        done.await(30, TimeUnit.SECONDS);
                    });
                    return null;
                });
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
                List<Counter> free = db.transact(tx -> tx.select(Counter.class).forUpdate().skipLocked().list());
                assertThat(free).extracting(Counter::id).containsExactly(second);
                assertThatThrownBy(() -> db.transact(TransactionOptions.defaults().withRetry(Retry.none()),
                        tx -> tx.select(Counter.class).where("id = ?", first).forUpdate().noWait().one()))
                        .isInstanceOf(LockTimeoutException.class);
                done.countDown();
                holder.get(30, TimeUnit.SECONDS);
            } finally {
                done.countDown();
                pool.shutdownNow();
            }
        }
    }

    /** MariaDB's GET_LOCK belongs to the session: Holdfast releases it when the transaction ends, even on failure. */
    @EachDatabase(DatabaseKind.MARIADB)
    void mariaDbNamedLockIsReleasedAfterRollback(TestDatabase t) {
        try (Database db = Databases.open(t, b -> b.poolSize(1))) {
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.lock("payments:7");
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            Long holder = db.queryScalar(Long.class,
                    "select is_used_lock(concat(left(database(), 46), '/', ?))", "payments:7");
            assertThat(holder).as("no session holds the lock").isNull();
            db.useTransaction(tx -> tx.lock("payments:7"));   // the same pooled session can take it again
        }
    }

    /**
     * MariaDB's named lock, seen from a second session (the lock is re-entrant on its own session, so only another one
     * can tell whether it is held): taken while the transaction runs, free once it committed or rolled back.
     */
    @EachDatabase(DatabaseKind.MARIADB)
    void mariaDbNamedLockIsHeldUntilTheTransactionEndsAsAnotherSessionSees(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t, b -> b.poolSize(1)); java.sql.Connection other = t.connect()) {
            db.useTransaction(tx -> {
                tx.lock("payments:7");
                assertThat(tryLock(other, "payments:7")).as("held while the transaction runs").isZero();
            });
            assertThat(tryLock(other, "payments:7")).as("free after commit").isEqualTo(1);
            release(other, "payments:7");
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.lock("payments:7");
                assertThat(tryLock(other, "payments:7")).isZero();
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(tryLock(other, "payments:7")).as("free after rollback").isEqualTo(1);
            release(other, "payments:7");
        }
    }

    private static int tryLock(java.sql.Connection c, String key) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("select get_lock(concat(left(database(), 46), '/', ?), 0)")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void release(java.sql.Connection c, String key) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("select release_lock(concat(left(database(), 46), '/', ?))")) {
            ps.setString(1, key);
            ps.execute();
        }
    }
}
