package dev.holdfast.examples;

import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.Isolation;
import dev.holdfast.record.Table;
import dev.holdfast.TransactionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Django bug 6: an application lock around a re-read, at REPEATABLE READ. {@code foo()} reads a Foo, creates a Bar,
 * then takes an in-process lock, refreshes the Foo, and links the Bar only if the Foo has none yet. On MariaDB/MySQL at
 * REPEATABLE READ the refresh reads the transaction's snapshot, taken at its first read, so it cannot see a link
 * another transaction committed meanwhile: both link, one Bar is orphaned. (And the in-process lock protects nothing
 * between two processes anyway.) PostgreSQL at REPEATABLE READ answers the second write with a serialization failure
 * instead; Holdfast retries the transaction, which then sees the link and stops — correct, but only by luck of the
 * database. The Holdfast version locks the Foo row in the database at the start ({@code forUpdate()}): on MariaDB a
 * locking read reads the latest committed row, on PostgreSQL a changed row makes the transaction retry, on SQLite the
 * write transaction is already exclusive. Same meaning on all three.
 */
public final class SnapshotAfterAppLock {
    private SnapshotAfterAppLock() {
    }

    /** A Foo links to at most one Bar. */
    @Table("b6_foo")
    public record Foo(@Id long id, Long barId) {
    }

    /** A Bar, created to be linked. */
    @Table("b6_bar")
    public record Bar(@Id long id, long createdFor) {
    }

    /** The Foo already has its Bar. */
    static final class AlreadyLinked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyLinked() {
            super("already linked", null, false, false);
        }
    }

    static final TransactionOptions REPEATABLE_READ =
            TransactionOptions.defaults().withIsolation(Isolation.REPEATABLE_READ);

    abstract static class Base extends SeedScenario {
        final AtomicInteger callsA = new AtomicInteger();
        final AtomicInteger callsB = new AtomicInteger();
        final AtomicLong barIds = new AtomicLong();
        final AtomicInteger retries = new AtomicInteger();

        Base(boolean safe) {
            super("django-bug-6-repeatable-read", safe, "two callers link a new Bar to a Foo at REPEATABLE READ; "
                    + "exactly one Bar may be created and linked per Foo");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b6_foo (id bigint primary key, bar_id bigint)");
            db.execute("create table b6_bar (id bigint primary key, created_for bigint not null)");
            List<Foo> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new Foo(id, null));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("link-a", db -> call(db, nextRow(callsA))),
                    new Actor("link-b", db -> call(db, nextRow(callsB))));
        }

        private void call(Database db, long id) {
            try {
                link(db, id);
            } catch (AlreadyLinked expected) {
                // the other caller linked first; this transaction rolled back, its Bar with it
            }
        }

        abstract void link(Database db, long fooId);

        /** How many attempts ran again after a conflict (PostgreSQL's answer to the naive version). */
        int retries() {
            return retries.get();
        }

        @Override
        public void check(Database db) {
            long bars = db.queryScalar(Long.class, "select count(*) from b6_bar");
            long linked = db.queryScalar(Long.class, "select count(*) from b6_foo where bar_id is not null");
            if (bars != linked) {
                List<Bar> orphans = db.query(Bar.class, "select * from b6_bar where id not in "
                        + "(select bar_id from b6_foo where bar_id is not null) order by id");
                throw new AssertionError(name() + ": " + bars + " Bars were created but " + linked + " Foos link one; "
                        + "orphaned: " + orphans.subList(0, Math.min(5, orphans.size())));
            }
        }
    }

    /** The Django code, ported: snapshot read, JVM lock, refresh (from the snapshot), check, save. */
    public static final class Naive extends Base {
        private final ReentrantLock lock = new ReentrantLock();

        public Naive() {
            super(false);
        }

        @Override
        void link(Database db, long fooId) {
            db.useTransaction(REPEATABLE_READ, tx -> {
                if (tx.attempt() > 1) {
                    retries.incrementAndGet();
                }
                Foo foo = tx.get(Foo.class, fooId);
                Bar bar = tx.insert(new Bar(barIds.incrementAndGet(), foo.id()));
                pause();
                lock.lock();
                try {
                    foo = tx.get(Foo.class, fooId);        // "refresh_from_db"
                    if (foo.barId() != null) {
                        throw new AlreadyLinked();
                    }
                    tx.execute("update b6_foo set bar_id = ? where id = ?", bar.id(), fooId);
                } finally {
                    lock.unlock();
                }
            });
        }
    }

    /** Lock the Foo row in the database before reading it. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void link(Database db, long fooId) {
            db.useTransaction(REPEATABLE_READ, tx -> {
                if (tx.attempt() > 1) {
                    retries.incrementAndGet();
                }
                Foo foo = tx.select(Foo.class).where("id = ?", fooId).forUpdate().one();
                if (foo.barId() != null) {
                    throw new AlreadyLinked();
                }
                Bar bar = tx.insert(new Bar(barIds.incrementAndGet(), fooId));
                tx.update(Foo.class, fooId, set(Foo::barId, bar.id()));
            });
        }
    }
}
