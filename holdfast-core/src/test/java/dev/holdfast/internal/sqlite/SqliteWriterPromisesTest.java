package dev.holdfast.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.TransactionOptions;
import dev.holdfast.error.ForeignKeyViolationException;
import dev.holdfast.error.TransactionTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's promises in docs/sqlite.md, each forced rather than left to luck: a first transaction holds the writer
 * on a latch while the others queue behind it, so what is queued when the test acts is known.
 */
class SqliteWriterPromisesTest {
    @TempDir
    Path dir;

    /**
     * Holds the writer until {@link #release()}; the writer runs the holder alone, so everything queued meanwhile
     * forms the next group.
     */
    private static final class Holder {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Integer> done;

        Holder(Database db) throws InterruptedException {
            done = db.transactAsync(tx -> {
                holding.countDown();
                release.await();
                return tx.execute("insert into item(id) values (0)");
            });
            assertThat(holding.await(60, TimeUnit.SECONDS)).as("the writer took the holder").isTrue();
        }

        void release() {
            release.countDown();
        }
    }

    private Database open() {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("w.db"));
        db.execute("create table if not exists item (id int primary key)");
        return db;
    }

    @Test
    void closeBlocksUntilEveryQueuedTransactionIsCommitted() throws Exception {
        Database db = open();
        Holder holder = new Holder(db);
        int n = 50;
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            int id = i;
            queued.add(db.transactAsync(tx -> tx.execute("insert into item(id) values (?)", id)));
        }
        Thread closer = new Thread(db::close, "closer");
        closer.start();
        awaitWaiting(closer);
        assertThat(closer.isAlive()).as("close() waits for the queue").isTrue();
        assertThatThrownBy(() -> db.execute("insert into item(id) values (-1)"))
                .hasMessageStartingWith("This Database is closed");
        holder.release();
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).isFalse();
        assertThat(holder.done.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (CompletableFuture<Integer> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        try (Database reopened = open()) {
            assertThat(reopened.queryScalar(Long.class, "select count(*) from item where id >= 0")).isEqualTo(n + 1);
        }
    }

    @Test
    void aTransactionThatTimesOutInTheQueueNeverRuns() throws Exception {
        try (Database db = open()) {
            Holder holder = new Holder(db);
            AtomicBoolean ran = new AtomicBoolean();
            TransactionOptions brief = TransactionOptions.defaults().withTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> db.useTransaction(brief, tx -> {
                        ran.set(true);
                        tx.execute("insert into item(id) values (1)");
                    })).isInstanceOf(TransactionTimeoutException.class).hasMessageContaining("never run");
            holder.release();
            holder.done.get(60, TimeUnit.SECONDS);
            db.execute("insert into item(id) values (2)");   // a unit behind the cancelled one: the queue went on
            assertThat(ran).as("the body of a transaction told 'never run'").isFalse();
            assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id")).containsExactly(0, 2);
        }
    }

    /**
     * A unit whose statement is interrupted at its deadline makes SQLite roll back the whole group transaction: the
     * unit that ran before it in the group is told to retry (and is committed once, by its second attempt), the one
     * after it runs in a new group, and the interrupted one is told it timed out.
     */
    @Test
    void aUnitThatBreaksTheGroupMakesTheUnitsBeforeItRetryAndCommitOnce() throws Exception {
        try (Database db = open()) {
            db.execute("create table sink (n int)");
            Holder holder = new Holder(db);
            List<Integer> attemptsOfA = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Integer> a = db.transactAsync(tx -> {
                attemptsOfA.add(tx.attempt());
                return tx.execute("insert into item(id) values (1)");
            });
            TransactionOptions oneSecond = TransactionOptions.defaults().withTimeout(Duration.ofSeconds(1));
            CompletableFuture<Integer> b = db.transactAsync(oneSecond, tx -> tx.execute("""
                            insert into sink
                            with recursive r(i) as (select 1 union all select i + 1 from r where i < 200000000)
                            select i from r where i < 0"""));
            CompletableFuture<Integer> c = db.transactAsync(tx -> tx.execute("insert into item(id) values (3)"));
            holder.release();
            assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(c.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> b.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TransactionTimeoutException.class);
            assertThat(attemptsOfA).as("A ran in the broken group, then alone").containsExactly(1, 2);
            assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id")).containsExactly(0, 1, 3);
        }
    }

    /**
     * COMMIT itself fails (a deferred foreign key, checked only at COMMIT): every caller of the group is told that
     * nothing of its transaction is committed, and nothing is.
     */
    @Test
    void aFailedCommitFailsEveryCallerOfTheGroupAndCommitsNothing() throws Exception {
        try (Database db = open()) {
            db.execute("create table parent (id int primary key)");
            db.execute("create table child (id int primary key, "
                    + "parent_id int references parent(id) deferrable initially deferred)");
            Holder holder = new Holder(db);
            CompletableFuture<Integer> innocent = db.transactAsync(tx -> tx.execute("insert into parent values (1)"));
            CompletableFuture<Integer> orphan = db.transactAsync(tx -> tx.execute("insert into child values (1, 99)"));
            holder.release();
            holder.done.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> f : List.of(innocent, orphan)) {
                assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ForeignKeyViolationException.class);
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from parent")).isZero();
            assertThat(db.queryScalar(Long.class, "select count(*) from child")).isZero();
            db.execute("insert into parent values (2)");   // the writer goes on
            assertThat(db.queryScalar(Long.class, "select count(*) from parent")).isEqualTo(1);
        }
    }

    /** transactAsync's after-commit actions run once each, after the commit, never on the writer thread. */
    @Test
    void afterCommitActionsOfTransactAsyncRunOnceAfterTheCommitOffTheWriter() throws Exception {
        try (Database db = open()) {
            List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger writerThreadActions = new AtomicInteger();
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                int id = i;
                done.add(db.transactAsync(tx -> {
                    tx.afterCommit(() -> {
                        if (Thread.currentThread().getName().startsWith("holdfast-sqlite-writer")) {
                            writerThreadActions.incrementAndGet();
                        }
                        // the row is durable when the action runs: a fresh reader sees it
                        ran.add(id + ":" + db.queryScalar(Long.class, "select count(*) from item where id = ?", id));
                    });
                    return tx.execute("insert into item(id) values (?)", id);
                }));
            }
            CompletableFuture<Integer> failed = db.transactAsync(tx -> {
                tx.afterCommit(() -> ran.add("after a rollback"));
                return tx.execute("insert into item(id) values (1)");   // duplicate: rolled back
            });
            for (CompletableFuture<Integer> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> failed.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(ran).hasSize(20).allMatch(s -> s.endsWith(":1")).doesNotHaveDuplicates();
            assertThat(writerThreadActions.get()).isZero();
        }
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        for (int i = 0; i < 6000 && t.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(10);
        }
        assertThat(t.getState()).as("close() blocks while the writer is held").isEqualTo(Thread.State.WAITING);
    }
}
