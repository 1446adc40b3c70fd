package dev.holdfast.internal.sqlite;

import dev.holdfast.Database;
import dev.holdfast.SqlStatement;
import dev.holdfast.SqliteSynchronous;
import dev.holdfast.StatementListener;
import dev.holdfast.StatementOutcome;
import dev.holdfast.TransactionOptions;
import dev.holdfast.error.ConflictException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.error.UniqueViolationException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite writer: one thread, group commit, failures handed back to the right caller and no one else. */
class SqliteWriterTest {
    @TempDir
    Path dir;
    final ConflictCounter conflicts = new ConflictCounter();
    final List<Database> open = new ArrayList<>();

    /** Counts every statement that failed with a conflict (busy, locked, serialization): the writer must cause none. */
    static final class ConflictCounter implements StatementListener {
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger groupsBegun = new AtomicInteger();
        final AtomicInteger retriedAttempts = new AtomicInteger();

        @Override
        public void beforeStatement(SqlStatement s) {
            if (s.kind() == SqlStatement.Kind.BEGIN && s.sql().equals("BEGIN IMMEDIATE")) {
                groupsBegun.incrementAndGet();
            }
            if (s.attempt() > 1) {
                retriedAttempts.incrementAndGet();
            }
        }

        @Override
        public void afterStatement(StatementOutcome o) {
            if (o.error() instanceof ConflictException) {
                failed.incrementAndGet();
            }
        }
    }

    Database open(String name) {
        return open(Database.builder("jdbc:sqlite:" + dir.resolve(name)));
    }

    Database open(Database.Builder builder) {
        Database db = builder.listener(conflicts).build();
        open.add(db);
        return db;
    }

    @AfterEach
    void closeAll() {
        open.forEach(Database::close);
    }

    @Test
    void eightThreadsOfReadModifyWriteIncrementsLoseNothingAndNeverSeeBusy() throws Exception {
        Database db = open("counter.db");
        db.execute("create table counter(id integer primary key, n integer not null)");
        db.execute("insert into counter(id, n) values (1, 0)");
        int threads = 8;
        int each = 2000;
        List<Throwable> errors = runThreads(threads, t -> {
            for (int i = 0; i < each; i++) {
                db.useTransaction(tx -> {
                    long n = tx.queryScalar(Long.class, "select n from counter where id = 1");
                    tx.execute("update counter set n = ? where id = 1", n + 1);
                });
            }
        });
        assertThat(errors).isEmpty();
        assertThat(db.queryScalar(Long.class, "select n from counter where id = 1")).isEqualTo(16_000L);
        assertThat(conflicts.failed.get()).as("statements that failed with busy or another conflict").isZero();
        assertThat(conflicts.retriedAttempts.get()).as("statements of retried attempts").isZero();
        assertThat(conflicts.groupsBegun.get()).as("group commits").isLessThanOrEqualTo(16_000 + 2);
    }

    @Test
    void aUnitThatThrowsInsideAGroupIsRolledBackAloneAndOnlyItsCallerHearsOfIt() throws Exception {
        Database db = open("group.db");
        db.execute("create table item(id integer primary key, name text not null)");
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Hold the writer so that the next three units queue up and are taken as one group.
        CompletableFuture<Integer> holder = db.transactAsync(tx -> {
            writerHeld.countDown();
            release.await();
            return tx.execute("insert into item(id, name) values (0, 'holder')");
        });
        writerHeld.await();
        int groupsBefore = conflicts.groupsBegun.get();
        CompletableFuture<Integer> a = db.transactAsync(tx -> tx.execute("insert into item(id, name) values (1, 'a')"));
        CompletableFuture<Integer> b = db.transactAsync(tx -> {
            tx.execute("insert into item(id, name) values (2, 'b')");
            throw new IllegalStateException("b changed its mind");
        });
        CompletableFuture<Integer> c = db.transactAsync(tx -> tx.execute("insert into item(id, name) values (3, 'c')"));
        release.countDown();

        assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("b changed its mind");
        assertThat(conflicts.groupsBegun.get() - groupsBefore).as("a, b and c ran in one group").isEqualTo(1);
        assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id")).containsExactly(0, 1, 3);
    }

    @Test
    void theCallerCatchesTheSameExceptionTypeWithItsOwnStackAttached() {
        Database db = open("unique.db");
        db.execute("create table tag(name text primary key)");
        db.execute("insert into tag(name) values ('x')");
        String me = Thread.currentThread().getName();
        assertThatThrownBy(() -> db.transact(tx -> tx.execute("insert into tag(name) values ('x')")))
                .isInstanceOf(UniqueViolationException.class)
                // a lone caller ran the unit itself: the exception's own stack is the caller's, no hand-off marker
                .satisfies(e -> assertThat(Arrays.stream(e.getStackTrace()).map(StackTraceElement::getClassName))
                        .contains(SqliteWriterTest.class.getName()))
                .satisfies(e -> assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getMessage))
                        .noneSatisfy(m -> assertThat(m).contains("Rethrown in thread '" + me + "'")));
        // a checked exception of the body arrives as itself too
        assertThatThrownBy(() -> db.transact(tx -> {
            throw new java.io.IOException("disk of the mail server is full");
        })).isInstanceOf(java.io.IOException.class);
        assertThat(db.queryScalar(Long.class, "select count(*) from tag")).isEqualTo(1L);
    }

    @Test
    void afterCommitActionsRunInTheCallersThreadAfterTheCommit() {
        Database db = open("after.db");
        db.execute("create table t(id integer primary key)");
        AtomicReference<String> ranOn = new AtomicReference<>();
        AtomicReference<Long> seen = new AtomicReference<>();
        String writer = db.transact(tx -> {
            tx.execute("insert into t(id) values (1)");
            tx.afterCommit(() -> {
                ranOn.set(Thread.currentThread().getName());
                seen.set(db.queryScalar(Long.class, "select count(*) from t"));   // committed: a reader sees it
            });
            return Thread.currentThread().getName();
        });
        assertThat(writer).as("a lone caller runs its unit itself").isEqualTo(Thread.currentThread().getName());
        assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
        assertThat(seen.get()).isEqualTo(1L);
    }

    @Test
    void aNestedTransactInsideAUnitRunsInlineAsASavepoint() {
        Database db = open("nested.db");
        db.execute("create table t(id integer primary key)");
        List<String> threads = db.transact(tx -> {
            tx.execute("insert into t(id) values (1)");
            String inner = db.transact(in -> {
                in.execute("insert into t(id) values (2)");
                return Thread.currentThread().getName();
            });
            try {
                db.useTransaction(in -> {
                    in.execute("insert into t(id) values (3)");
                    throw new IllegalArgumentException("undo 3 only");
                });
            } catch (IllegalArgumentException expected) {
                // the inner part is rolled back to its savepoint; 1 and 2 stand
            }
            long visible = db.read(r -> r.queryScalar(Long.class, "select count(*) from t"));   // joins the unit
            return List.of(Thread.currentThread().getName(), inner, Long.toString(visible));
        });
        assertThat(threads.get(1)).isEqualTo(threads.get(0));
        assertThat(threads.get(2)).isEqualTo("2");
        assertThat(db.query(rs -> rs.getInt(1), "select id from t order by id")).containsExactly(1, 2);
    }

    @Test
    void readsUseTheReaderPoolAndDoNotWaitForAWriterThatIsHeld() throws Exception {
        Database db = open("readers.db");
        db.execute("create table t(id integer primary key)");
        db.execute("insert into t(id) values (1)");
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> held = db.transactAsync(tx -> {
            tx.execute("insert into t(id) values (2)");
            writerHeld.countDown();
            release.await();
            return 1;
        });
        writerHeld.await();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Long> count = reader.submit(() -> db.queryScalar(Long.class, "select count(*) from t"));
            Future<Long> inRead = reader.submit(() -> db.read(tx -> tx.queryScalar(Long.class, "select count(*) from t")));
            // The writer is held with an uncommitted insert: readers see the last commit, without waiting.
            assertThat(count.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(inRead.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        } finally {
            release.countDown();
            reader.shutdown();
        }
        held.get(30, TimeUnit.SECONDS);
        assertThat(db.queryScalar(Long.class, "select count(*) from t")).isEqualTo(2L);
        assertThatThrownBy(() -> db.query(rs -> rs.getInt(1), "insert into t(id) values (9) returning id"))
                .isInstanceOf(HoldfastException.class).hasMessageContaining("readonly");
    }

    @Test
    void theWriterConnectionHasWalForeignKeysAndTheChosenSynchronous() {
        Database full = open("full.db");
        String journal = full.transact(tx -> tx.queryScalar(String.class, "pragma journal_mode"));
        int synchronous = full.transact(tx -> tx.queryScalar(Integer.class, "pragma synchronous"));
        int foreignKeys = full.transact(tx -> tx.queryScalar(Integer.class, "pragma foreign_keys"));
        assertThat(journal).isEqualTo("wal");
        assertThat(synchronous).as("FULL").isEqualTo(2);
        assertThat(foreignKeys).isEqualTo(1);
        Database normal = open(Database.builder("jdbc:sqlite:" + dir.resolve("normal.db"))
                .sqliteSynchronous(SqliteSynchronous.NORMAL));
        int normalSynchronous = normal.transact(tx -> tx.queryScalar(Integer.class, "pragma synchronous"));
        assertThat(normalSynchronous).as("NORMAL").isEqualTo(1);
    }

    @Test
    void aFullQueueMakesTheSubmitterWaitThenFailWithATimeout() throws Exception {
        Database db = open(Database.builder("jdbc:sqlite:" + dir.resolve("full-queue.db")).writerQueueCapacity(1));
        db.execute("create table t(id integer primary key)");
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> held = db.transactAsync(tx -> {
            writerHeld.countDown();
            release.await();
            return tx.execute("insert into t(id) values (1)");
        });
        writerHeld.await();
        CompletableFuture<Integer> queued = db.transactAsync(tx -> tx.execute("insert into t(id) values (2)"));
        try {
            assertThatThrownBy(() -> db.transact(TransactionOptions.defaults().withTimeout(Duration.ofMillis(200)),
                    tx -> tx.execute("insert into t(id) values (3)")))
                    .isInstanceOf(TransactionTimeoutException.class)
                    .hasMessageContaining("queue stayed full (1 transactions waiting)");
        } finally {
            release.countDown();
        }
        held.get(30, TimeUnit.SECONDS);
        queued.get(30, TimeUnit.SECONDS);
        assertThat(db.query(rs -> rs.getInt(1), "select id from t order by id")).containsExactly(1, 2);
    }

    /** Stands for an OutOfMemoryError or StackOverflowError thrown inside a transaction. */
    static final class UnitError extends Error {
        private static final long serialVersionUID = 1L;

        UnitError() {
            super("simulated fatal error inside a unit");
        }
    }

    @Test
    void anErrorInAUnitKillsTheWriterTellsEveryCallerOfItsGroupAndTheNextTransactionWorks() throws Exception {
        Database db = open("death.db");
        db.execute("create table t(id integer primary key)");
        String firstWriter = db.transactAsync(tx -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> holder = db.transactAsync(tx -> {
            writerHeld.countDown();
            release.await();
            return tx.execute("insert into t(id) values (0)");
        });
        writerHeld.await();
        CompletableFuture<Integer> before = db.transactAsync(tx -> tx.execute("insert into t(id) values (1)"));
        CompletableFuture<Integer> fatal = db.transactAsync(tx -> {
            tx.execute("insert into t(id) values (2)");
            throw new UnitError();
        });
        CompletableFuture<Integer> after = db.transactAsync(tx -> tx.execute("insert into t(id) values (3)"));
        release.countDown();

        assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> fatal.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(UnitError.class);
        for (CompletableFuture<Integer> innocent : List.of(before, after)) {
            assertThatThrownBy(() -> innocent.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HoldfastException.class)
                    .hasMessageContaining("The SQLite writer thread died")
                    .hasMessageContaining("nothing of it is committed");
        }
        // A synchronous caller gets the Error itself, in its own thread.
        assertThatThrownBy(() -> db.transact(tx -> {
            throw new UnitError();
        })).isInstanceOf(UnitError.class);
        String freshWriter = db.transactAsync(tx -> {
            tx.execute("insert into t(id) values (4)");
            return Thread.currentThread().getName();
        }).get(30, TimeUnit.SECONDS);
        assertThat(freshWriter).startsWith("holdfast-sqlite-writer-").isNotEqualTo(firstWriter);
        assertThat(db.query(rs -> rs.getInt(1), "select id from t order by id")).containsExactly(0, 4);
    }

    @Test
    void closeDuringLoadCommitsAndAcknowledgesEverySubmittedUnitOrFailsItClearly() throws Exception {
        Path file = dir.resolve("close.db");
        Database db = Database.builder("jdbc:sqlite:" + file).build();
        db.execute("create table t(id integer primary key)");
        AtomicInteger ids = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> refusals = new ConcurrentLinkedQueue<>();
        CountDownLatch warmedUp = new CountDownLatch(500);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        Future<?> closed = closer.submit(() -> {
            warmedUp.await();
            db.close();
            return null;
        });
        List<Throwable> errors = runThreads(8, t -> {
            while (true) {
                int id = ids.incrementAndGet();
                try {
                    db.transact(tx -> tx.execute("insert into t(id) values (?)", id));
                } catch (HoldfastException e) {
                    refusals.add(e);
                    return;   // closed: every later submit is refused too
                }
                acknowledged.add(id);
                warmedUp.countDown();
            }
        });
        closed.get(30, TimeUnit.SECONDS);
        closer.shutdown();
        assertThat(errors).as("threads that failed or hung").isEmpty();
        assertThat(refusals).hasSize(8).allSatisfy(e -> assertThat(e).hasMessageContaining("is closed"));
        try (Database reopened = Database.open("jdbc:sqlite:" + file)) {
            List<Integer> stored = reopened.query(rs -> rs.getInt(1), "select id from t");
            assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
        assertThatThrownBy(() -> db.execute("insert into t(id) values (-1)")).isInstanceOf(HoldfastException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void multiProcessModeUsesBeginImmediateOnPooledConnectionsAndLosesNoIncrement() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        Database first = open(Database.builder(url).multiProcess(true));
        Database second = open(Database.builder(url).multiProcess(true));
        first.execute("create table counter(id integer primary key, n integer not null)");
        first.execute("insert into counter(id, n) values (1, 0)");
        int each = 250;
        List<Throwable> errors = runThreads(6, t -> {
            Database db = t % 2 == 0 ? first : second;
            for (int i = 0; i < each; i++) {
                db.useTransaction(tx -> {
                    long n = tx.queryScalar(Long.class, "select n from counter where id = 1");
                    tx.execute("update counter set n = ? where id = 1", n + 1);
                });
            }
        });
        assertThat(errors).isEmpty();
        assertThat(second.queryScalar(Long.class, "select n from counter where id = 1")).isEqualTo(6L * each);
        assertThatThrownBy(() -> first.transactAsync(tx -> 1)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("multiProcess");
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    static List<Throwable> runThreads(int n, ThreadBody body) throws InterruptedException {
        List<Throwable> errors = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "worker-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
            if (t.isAlive()) {
                failures.add(new AssertionError(t.getName() + " did not finish within 2 minutes"));
            }
        }
        errors.addAll(failures);
        return errors;
    }
}
