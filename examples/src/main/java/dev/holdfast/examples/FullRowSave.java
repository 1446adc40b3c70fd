package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Django bug 2: a full-row save clobbers another field. {@code thing_set_foo} and {@code thing_set_bar} each load the
 * row, change their own field and save every column. When they overlap, the second save writes back the first one's
 * field as it was before: a write is lost although the two functions never touch the same field. Holdfast's
 * {@code modify} reads the row under a row lock and writes only the changed column, so the two writers serialise on
 * the row and neither writes the other's column. Values come from a sequence read inside the lock, so the last
 * acknowledged value of each field must be the one in the row.
 */
public final class FullRowSave {
    private FullRowSave() {
    }

    /** A row with two fields written by different code paths. */
    @Table("b2_thing")
    public record Thing(@Id long id, long foo, long bar, @Version long version) {
        Thing withFoo(long v) {
            return new Thing(id, v, bar, version);
        }

        Thing withBar(long v) {
            return new Thing(id, foo, v, version);
        }
    }

    abstract static class Base extends SeedScenario {
        final AtomicInteger fooCalls = new AtomicInteger();
        final AtomicInteger barCalls = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
        final Map<Long, Long> lastFoo = new ConcurrentHashMap<>();
        final Map<Long, Long> lastBar = new ConcurrentHashMap<>();

        Base(boolean safe) {
            super("django-bug-2-full-row-save", safe, "set_foo and set_bar each save the whole row; neither may "
                    + "undo the other's field");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b2_thing (id bigint primary key, foo bigint not null, bar bigint not null, "
                    + "version bigint not null)");
            List<Thing> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new Thing(id, 0, 0, 0));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(
                    new Actor("set-foo", db -> {
                        long id = nextRow(fooCalls);
                        lastFoo.merge(id, setFoo(db, id), Math::max);
                    }),
                    new Actor("set-bar", db -> {
                        long id = nextRow(barCalls);
                        lastBar.merge(id, setBar(db, id), Math::max);
                    }));
        }

        abstract long setFoo(Database db, long id);

        abstract long setBar(Database db, long id);

        @Override
        public void check(Database db) {
            for (Thing t : db.query(Thing.class, "select * from b2_thing")) {
                long foo = lastFoo.getOrDefault(t.id(), 0L);
                long bar = lastBar.getOrDefault(t.id(), 0L);
                if (t.foo() != foo || t.bar() != bar) {
                    throw new AssertionError(name() + ": thing " + t.id() + " has foo=" + t.foo() + ", bar=" + t.bar()
                            + " but the last acknowledged writes were foo=" + foo + ", bar=" + bar);
                }
            }
        }
    }

    /** Load, change one field, save every column (Django's default {@code save()}). */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        long setFoo(Database db, long id) {
            Thing thing = db.get(Thing.class, id).withFoo(sequence.incrementAndGet());
            pause();
            save(db, thing);
            return thing.foo();
        }

        @Override
        long setBar(Database db, long id) {
            Thing thing = db.get(Thing.class, id).withBar(sequence.incrementAndGet());
            pause();
            save(db, thing);
            return thing.bar();
        }

        private static void save(Database db, Thing t) {
            db.execute("update b2_thing set foo = ?, bar = ? where id = ?", t.foo(), t.bar(), t.id());
        }
    }

    /** {@code modify}: locked read, changed column only. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        long setFoo(Database db, long id) {
            return db.modify(Thing.class, id, t -> t.withFoo(sequence.incrementAndGet())).foo();
        }

        @Override
        long setBar(Database db, long id) {
            return db.modify(Thing.class, id, t -> t.withBar(sequence.incrementAndGet())).bar();
        }
    }
}
