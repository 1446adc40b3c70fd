package dev.holdfast.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.StatementOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An uncontended caller runs its unit in its own thread (no hand-off to the writer thread); contended callers still
 * queue and share group commits, a failing unit of a group is still rolled back alone, and no caller is released
 * before the COMMIT that covers it. On a real SQLite file.
 */
class SqliteHandOffTest {
    @TempDir
    Path dir;

    /** Every statement as it ran, with the thread it ran on. */
    static final class Log implements StatementListener {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final AtomicInteger groups = new AtomicInteger();

        @Override
        public void beforeStatement(SqlStatement s) {
            if (s.sql().equals("BEGIN IMMEDIATE")) {
                groups.incrementAndGet();
            }
        }

        @Override
        public void afterStatement(StatementOutcome o) {
            seen.add(Thread.currentThread().getName() + ": " + o.statement().sql());
        }
    }

    @Test
    void aLoneCallerRunsItsUnitInItsOwnThreadAndReturnsOnlyAfterItsCommit() {
        Log log = new Log();
        try (Database db = Database.builder("jdbc:sqlite:" + dir.resolve("alone.db")).listener(log).build()) {
            db.execute("create table t(id integer primary key)");
            log.seen.clear();
            String ranOn = db.transact(tx -> {
                tx.execute("insert into t(id) values (1)");
                return Thread.currentThread().getName();
            });
            String me = Thread.currentThread().getName();
            assertThat(ranOn).isEqualTo(me);
            // a transaction of its own: no group, so no savepoint around the unit
            assertThat(log.seen).containsExactly(me + ": BEGIN IMMEDIATE", me + ": insert into t(id) values (1)",
                    me + ": COMMIT");
            assertThat(db.queryScalar(Long.class, "select count(*) from t")).isEqualTo(1L);   // a reader sees it
        }
    }

    @Test
    void queuedCallersShareAGroupAndAFailingUnitInItIsRolledBackAlone() throws Exception {
        Log log = new Log();
        try (Database db = Database.builder("jdbc:sqlite:" + dir.resolve("group.db")).listener(log).build()) {
            db.execute("create table item(id integer primary key, who text not null)");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            // A lone caller takes the connection in its own thread and holds it.
            Thread holder = start("holder", failures, () -> db.useTransaction(tx -> {
                tx.execute("insert into item(id, who) values (0, ?)", Thread.currentThread().getName());
                holding.countDown();
                release.await();
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            List<Thread> queued = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int id = i;
                queued.add(start("caller-" + i, failures, () -> {
                    if (id == 2) {
                        assertThatThrownBy(() -> db.useTransaction(tx -> {
                            tx.execute("insert into item(id, who) values (2, 'b')");
                            throw new IllegalStateException("b changed its mind");
                        })).isInstanceOf(IllegalStateException.class).hasMessage("b changed its mind");
                    } else {
                        db.execute("insert into item(id, who) values (?, ?)", id, Thread.currentThread().getName());
                    }
                }));
            }
            for (Thread t : queued) {
                awaitWaitingForTheWriter(t);
            }
            int groupsBefore = log.groups.get();
            release.countDown();
            for (Thread t : queued) {
                t.join(TimeUnit.MINUTES.toMillis(1));
            }
            holder.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(failures).isEmpty();
            assertThat(log.groups.get() - groupsBefore).as("the three queued callers ran in one group").isEqualTo(1);
            assertThat(db.query(rs -> rs.getInt(1) + " " + rs.getString(2), "select id, who from item order by id"))
                    .containsExactly("0 holder", "1 caller-1", "3 caller-3");
            assertThat(log.seen).filteredOn(s -> s.contains("insert into item(id, who) values (?, ?)"))
                    .allMatch(s -> s.startsWith("holdfast-sqlite-writer-"), "queued units run on the writer thread");
        }
    }

    @Test
    void eightThreadsLoseNothingAndEachFailingUnitIsIsolated() throws Exception {
        Log log = new Log();
        try (Database db = Database.builder("jdbc:sqlite:" + dir.resolve("eight.db")).listener(log).build()) {
            db.execute("create table counter(id integer primary key, n integer not null)");
            db.execute("create table item(id integer primary key)");
            db.execute("insert into counter(id, n) values (1, 0)");
            int threads = 8;
            int each = 200;
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                all.add(start("worker-" + t, failures, () -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        int id = thread * each + i;
                        boolean fail = i % 10 == 9;
                        try {
                            db.useTransaction(tx -> {
                                long n = tx.queryScalar(Long.class, "select n from counter where id = 1");
                                tx.execute("update counter set n = ? where id = 1", n + 1);   // read-modify-write
                                tx.execute("insert into item(id) values (?)", id);
                                if (fail) {
                                    throw new IllegalStateException("unit " + id + " fails");
                                }
                            });
                        } catch (IllegalStateException expected) {
                            assertThat(expected).hasMessage("unit " + id + " fails");
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            go.countDown();
            for (Thread t : all) {
                t.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
            }
            assertThat(failures).isEmpty();
            int committed = threads * each - refused.get();
            assertThat(refused.get()).isEqualTo(threads * each / 10);
            assertThat(db.queryScalar(Long.class, "select n from counter where id = 1")).isEqualTo((long) committed);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo((long) committed);
            assertThat(db.queryScalar(Long.class, "select count(*) from item where id % 200 % 10 = 9")).isZero();
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, ConcurrentLinkedQueue<Throwable> failures, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.start();
        return t;
    }

    /** Waits until {@code t} is parked in the writer's queue, waiting for its unit's outcome. */
    private static void awaitWaitingForTheWriter(Thread t) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING) {
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getClassName().equals(WriterUnit.class.getName()) && e.getMethodName().equals("await")) {
                        return;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError(t.getName() + " never queued for the writer");
    }
}
