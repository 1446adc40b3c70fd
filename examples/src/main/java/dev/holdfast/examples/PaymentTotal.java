package dev.holdfast.examples;

import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Django bug 5: a denormalised total recomputed without a lock. {@code create_payment} inserts a payment, sums the
 * collection's payments and saves the sum as its total. Two concurrent payments each sum without seeing the other's
 * uncommitted row, and the later save wins: the total misses a payment. Holdfast locks the collection row first
 * ({@code select(...).forUpdate()}; on SQLite the write transaction already excludes other writers), so payments to one
 * collection run one after the other and each sum — a new statement, with a new snapshot at READ COMMITTED — sees
 * every committed payment. ({@code update(PaymentCollection.class, id, set("total", plus(amount)))} in one statement
 * would be safe too.) The payment table has no foreign key here: on MariaDB the key's shared lock on the collection
 * turns the overlap into a deadlock, which Holdfast retries, and that would hide the lost write this scenario shows.
 */
public final class PaymentTotal {
    private PaymentTotal() {
    }

    /** A collection with a stored total of its payments. */
    @Table("b5_collection")
    public record PaymentCollection(@Id long id, BigDecimal total) {
    }

    /** One payment into a collection. */
    @Table("b5_payment")
    public record Payment(@Id long id, long collectionId, BigDecimal amount) {
    }

    abstract static class Base extends SeedScenario {
        final AtomicLong paymentIds = new AtomicLong();

        Base(boolean safe) {
            super("django-bug-5-payment-total", safe, "concurrent payments into one collection; the stored total must "
                    + "equal the sum of the payments");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table b5_collection (id bigint primary key, total decimal(14,2) not null)");
            db.execute("create table b5_payment (id bigint primary key, collection_id bigint not null, "
                    + "amount decimal(14,2) not null)");
            db.execute("insert into b5_collection (id, total) values (1, 0)");
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("pay-1", db -> createPayment(db, 1L, new BigDecimal("1.00"))),
                    new Actor("pay-2", db -> createPayment(db, 1L, new BigDecimal("2.00"))));
        }

        abstract void createPayment(Database db, long collectionId, BigDecimal amount);

        static BigDecimal sum(dev.holdfast.Transaction tx, long collectionId) {
            BigDecimal s = tx.queryScalar(BigDecimal.class,
                    "select coalesce(sum(amount), 0) from b5_payment where collection_id = ?", collectionId);
            return s == null ? BigDecimal.ZERO : s;
        }

        @Override
        public void check(Database db) {
            BigDecimal total = db.get(PaymentCollection.class, 1L).total();
            BigDecimal paid = db.read(tx -> sum(tx, 1L));
            if (total.compareTo(paid) != 0) {
                throw new AssertionError(name() + ": the collection's total is " + total + " but its payments sum to "
                        + paid + " (" + paid.subtract(total) + " missing from the total)");
            }
        }
    }

    /** The Django code, ported: read the collection, insert, sum, save — no lock. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void createPayment(Database db, long collectionId, BigDecimal amount) {
            db.useTransaction(tx -> {
                PaymentCollection c = tx.get(PaymentCollection.class, collectionId);
                tx.insert(new Payment(paymentIds.incrementAndGet(), c.id(), amount));
                BigDecimal total = sum(tx, c.id());
                pause();
                tx.execute("update b5_collection set total = ? where id = ?", total, c.id());
            });
        }
    }

    /** Lock the collection row first, then insert, sum and save. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void createPayment(Database db, long collectionId, BigDecimal amount) {
            db.useTransaction(tx -> {
                tx.select(PaymentCollection.class).where("id = ?", collectionId).forUpdate().one();
                tx.insert(new Payment(paymentIds.incrementAndGet(), collectionId, amount));
                tx.update(PaymentCollection.class, collectionId, set("total", sum(tx, collectionId)));
            });
        }
    }
}
