package dev.holdfast.examples;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Django bug 3: a read-modify-write counter. {@code increment} reads the count, adds one in Python and saves it; two
 * increments that read the same value store the same result and one of them is lost. Under load most of them are
 * (8 threads × 500 lost about 85% in the design measurements). Holdfast's atomic update sends
 * {@code UPDATE counter SET count = count + 1 ... RETURNING ...}: the database adds to whatever the row holds when the
 * statement runs, under the row's write lock, so every increment counts, in one round trip.
 */
public final class LostCounter {
    private LostCounter() {
    }

    /** A counter. */
    @Table("b3_counter")
    public record Counter(@Id long id, long count) {
    }

    abstract static class Base extends SeedScenario {
        final AtomicLong acknowledged = new AtomicLong();

        Base(boolean safe) {
            super("django-bug-3-counter", safe, "concurrent increments of one counter; the count must equal the "
                    + "number of acknowledged increments");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b3_counter (id bigint primary key, count bigint not null)");
            db.execute("insert into b3_counter (id, count) values (1, 0)");
        }

        @Override
        public List<Actor> actors() {
            Actor increment = new Actor("increment", db -> {
                increment(db);
                acknowledged.incrementAndGet();
            });
            return List.of(increment, new Actor("increment-too", increment.body()));
        }

        abstract void increment(Database db);

        @Override
        public void check(Database db) {
            long count = db.get(Counter.class, 1L).count();
            if (count != acknowledged.get()) {
                throw new AssertionError(name() + ": " + acknowledged + " increments were acknowledged but the count "
                        + "is " + count + " (" + (acknowledged.get() - count) + " lost)");
            }
        }
    }

    /** Read, add one in Java, write back. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void increment(Database db) {
            Counter c = db.get(Counter.class, 1L);
            pause();
            db.execute("update b3_counter set count = ? where id = ?", c.count() + 1, c.id());
        }
    }

    /** One atomic statement. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void increment(Database db) {
            db.update(Counter.class, 1L, set(Counter::count, plus(1)));
        }
    }
}
