package dev.holdfast.record;

import static dev.holdfast.record.Condition.atLeast;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guarded atomic updates (issue 10, "the record API"): a debit that applies only while the balance covers it, from 8
 * threads at once: never overdrawn, no debit lost, and each one reports whether it applied. Before updateIf/applyIf
 * this needed raw SQL with a hand-written version bump.
 */
class GuardedUpdateTest {
    static final int THREADS = 8;
    static final int TIMES = 25;

    @Table("gift_card")
    record GiftCard(@Id Long id, long balance, @Version long version) {
    }

    static void createTable(Database db, TestDatabase t) {
        db.execute("create table gift_card (" + TestRecords.generatedId(t.kind())
                + ", balance bigint not null, version bigint not null)");
    }

    @EachDatabase
    void debitsFromEightThreadsNeverOverdrawAndNoneIsLost(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            createTable(db, t);
            long start = 3 * THREADS * TIMES;   // enough for 3 of every 4 debits of 4
            long id = db.insert(new GiftCard(null, start, 0)).id();
            AtomicInteger applied = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            Queue<Long> balancesSeen = new ConcurrentLinkedQueue<>();
            Hammer.run(THREADS, TIMES, (th, i) -> {
                if (th % 2 == 0) {
                    Optional<GiftCard> after = db.updateIf(GiftCard.class, id, atLeast(GiftCard::balance, 4L),
                            set(GiftCard::balance, minus(4L)));
                    after.ifPresent(c -> {
                        assertThat(c.balance()).isGreaterThanOrEqualTo(0);
                        balancesSeen.add(c.balance());
                    });
                    (after.isPresent() ? applied : refused).incrementAndGet();
                } else {
                    boolean ok = db.applyIf(GiftCard.class, id, atLeast(GiftCard::balance, 4L),
                            set(GiftCard::balance, minus(4L)));
                    (ok ? applied : refused).incrementAndGet();
                }
            });
            GiftCard end = db.get(GiftCard.class, id);
            assertThat(applied.get()).isEqualTo((int) (start / 4));
            assertThat(refused.get()).isEqualTo(THREADS * TIMES - applied.get());
            assertThat(end.balance()).as("never overdrawn, every applied debit counted").isEqualTo(0);
            assertThat(end.version()).as("each applied debit bumped the version once").isEqualTo(applied.get());
            assertThat(balancesSeen).as("each updateIf saw its own new balance").doesNotHaveDuplicates();
        }
    }

    @EachDatabase
    void aGuardThatDoesNotHoldWritesNothingAndSaysSo(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            createTable(db, t);
            GiftCard card = db.insert(new GiftCard(null, 10, 0));
            assertThat(db.updateIf(GiftCard.class, card.id(), atLeast(GiftCard::balance, 11L),
                    set(GiftCard::balance, minus(11L)))).isEmpty();
            assertThat(db.applyIf(GiftCard.class, card.id(), atLeast(GiftCard::balance, 11L)
                    .and(Condition.equalTo(GiftCard::version, 0L)), set(GiftCard::balance, minus(11L)))).isFalse();
            assertThat(db.get(GiftCard.class, card.id())).isEqualTo(card);
            assertThat(db.updateIf(GiftCard.class, card.id(), atLeast(GiftCard::balance, 10L),
                    set(GiftCard::balance, minus(10L)))).contains(new GiftCard(card.id(), 0, 1));
            assertThat(db.apply(GiftCard.class, card.id(), set(GiftCard::balance, plus(5L)))).isTrue();
            assertThat(db.apply(GiftCard.class, -1L, set(GiftCard::balance, plus(5L)))).isFalse();
            assertThat(db.get(GiftCard.class, card.id())).isEqualTo(new GiftCard(card.id(), 5, 2));
        }
    }
}
