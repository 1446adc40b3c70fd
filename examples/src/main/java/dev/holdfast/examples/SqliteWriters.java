package dev.holdfast.examples;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;

import dev.holdfast.error.BusyException;
import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Seed 004, "SQLite in a multi-threaded web app": request threads write through their own connections, retry
 * "database is locked" with exponential backoff, and guard their read-then-write with a lock in the application. That
 * lock lives in one process; the seed's helpers ran as separate processes, each with a lock of its own, so two of them
 * can read the same hit count and both store count + 1. (Run on PostgreSQL or MariaDB the same code loses the same
 * way.) Holdfast's version records the hit and bumps the count in one transaction with an atomic update: the database
 * orders the writers (on SQLite, its single write lock; elsewhere, the row lock), busy and deadlock errors are retried
 * for the whole transaction with backoff and jitter, and the count always equals the hits recorded.
 */
public final class SqliteWriters {
    private SqliteWriters() {
    }

    /** A page and how many hits it has had. */
    @Table("s4_page")
    public record Page(@Id long id, long hits) {
    }

    /** One hit, recorded. */
    @Table("s4_hit")
    public record Hit(@Id long id, long pageId) {
    }

    abstract static class Base extends SeedScenario {
        final AtomicLong hitIds = new AtomicLong();

        Base(boolean safe) {
            super("seed-004-multi-threaded-writers", safe, "two processes record hits and bump a page's hit count; "
                    + "the count must equal the hits recorded");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table s4_page (id bigint primary key, hits bigint not null)");
            db.execute("create table s4_hit (id bigint primary key, page_id bigint not null)");
            db.execute("insert into s4_page (id, hits) values (1, 0)");
        }

        @Override
        public void check(Database db) {
            long hits = db.get(Page.class, 1L).hits();
            long recorded = db.queryScalar(Long.class, "select count(*) from s4_hit where page_id = 1");
            if (hits != recorded) {
                throw new AssertionError(name() + ": " + recorded + " hits were recorded but the page counts " + hits
                        + " (" + (recorded - hits) + " lost)");
            }
        }
    }

    /** Per-process lock, read then write, retry "locked" with backoff. */
    public static final class Naive extends Base {
        private final ReentrantLock processA = new ReentrantLock();
        private final ReentrantLock processB = new ReentrantLock();

        public Naive() {
            super(false);
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("process-a", db -> hit(db, processA)),
                    new Actor("process-b", db -> hit(db, processB)));
        }

        private void hit(Database db, ReentrantLock processLock) {
            processLock.lock();
            try {
                long hits = withBackoff(() -> db.get(Page.class, 1L).hits());
                pause();
                long id = hitIds.incrementAndGet();
                withBackoff(() -> db.execute("insert into s4_hit (id, page_id) values (?, 1)", id));
                withBackoff(() -> db.execute("update s4_page set hits = ? where id = 1", hits + 1));
            } finally {
                processLock.unlock();
            }
        }

        /** The seed's collision handling: exponential backoff with a pinch of randomness, capped at two seconds. */
        private static <T> T withBackoff(java.util.function.Supplier<T> statement) {
            long delay = 1;
            while (true) {
                try {
                    return statement.get();
                } catch (BusyException locked) {
                    try {
                        Thread.sleep(Math.min(2000, delay + ThreadLocalRandom.current().nextLong(delay + 1)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw locked;
                    }
                    delay *= 2;
                }
            }
        }
    }

    /** One transaction: record the hit, bump the count atomically; Holdfast retries conflicts. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        public List<Actor> actors() {
            Actor hit = new Actor("process-a", db -> db.useTransaction(tx -> {
                tx.insert(new Hit(hitIds.incrementAndGet(), 1L));
                tx.update(Page.class, 1L, set(Page::hits, plus(1)));
            }));
            return List.of(hit, new Actor("process-b", hit.body()));
        }
    }
}
