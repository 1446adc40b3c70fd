package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Django bug 1: two in-memory copies of one row inside one transaction. {@code create()} inserts a thing, calls
 * {@code set_foo(id)}, which loads a second copy and saves {@code foo = 2}, then sets {@code bar = 2} on its own,
 * older copy and saves every column: {@code foo} goes back to 1. No concurrency is needed; the naive version loses the
 * write every time. With Holdfast each change is a {@code modify}: it reads the row as it is now, under a lock, and
 * writes only the column it changed, so neither change can undo the other. (Writing the stale copy with
 * {@code update(thing.withBar(2))} would not lose anything either: the row's version moved on, so it throws
 * {@code StaleWriteException}.)
 */
public final class TwoCopiesOfOneRow {
    private TwoCopiesOfOneRow() {
    }

    /** A row with two independent fields. */
    @Table("b1_thing")
    public record Thing(@Id long id, int foo, int bar, @Version long version) {
        Thing withFoo(int v) {
            return new Thing(id, v, bar, version);
        }

        Thing withBar(int v) {
            return new Thing(id, foo, v, version);
        }
    }

    abstract static class Base extends SeedScenario {
        final AtomicLong ids = new AtomicLong();
        final Set<Long> created = ConcurrentHashMap.newKeySet();

        Base(boolean safe) {
            super("django-bug-1-two-copies", safe, "create() sets foo through a second copy of the row, then saves its "
                    + "own stale copy; foo must end as 2");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b1_thing (id bigint primary key, foo int not null, bar int not null, "
                    + "version bigint not null)");
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("create", db -> created.add(create(db, ids.incrementAndGet()))));
        }

        abstract long create(Database db, long id);

        @Override
        public void check(Database db) {
            for (long id : created) {
                Thing t = db.get(Thing.class, id);
                if (t.foo() != 2 || t.bar() != 2) {
                    throw new AssertionError(name() + ": thing " + id + " should have foo=2, bar=2 but has foo="
                            + t.foo() + ", bar=" + t.bar() + " (the write of " + (t.foo() != 2 ? "foo" : "bar")
                            + " was lost)");
                }
            }
        }
    }

    /** The Django code, ported: every save writes every column of the copy it has. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        long create(Database db, long id) {
            return db.transact(tx -> {
                tx.execute("insert into b1_thing (id, foo, bar, version) values (?, 1, 1, 0)", id);
                Thing thing = tx.get(Thing.class, id);
                setFoo(db, id);
                thing = thing.withBar(2);
                tx.execute("update b1_thing set foo = ?, bar = ? where id = ?", thing.foo(), thing.bar(), id);
                return id;
            });
        }

        private static void setFoo(Database db, long id) {
            Thing thing = db.get(Thing.class, id);    // joins the caller's transaction: a second copy
            db.execute("update b1_thing set foo = ?, bar = ? where id = ?", 2, thing.bar(), id);
        }
    }

    /** Each change reads the current row under a lock and writes only what it changed. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        long create(Database db, long id) {
            return db.transact(tx -> {
                Thing thing = tx.insert(new Thing(id, 1, 1, 0));
                setFoo(db, thing.id());
                tx.modify(Thing.class, thing.id(), t -> t.withBar(2));
                return thing.id();
            });
        }

        private static void setFoo(Database db, long id) {
            db.modify(Thing.class, id, t -> t.withFoo(2));   // joins the caller's transaction
        }
    }
}
