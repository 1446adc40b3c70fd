package dev.holdfast.record;

import static dev.holdfast.record.Condition.atLeast;
import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.TestRecords.Thing;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static dev.holdfast.record.Update.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.Optional;

/**
 * What an update that reads its row back must tell apart, on one connection (a one-connection pool), where MariaDB's
 * session variables from the previous update are still set when the next one runs (issue 18: the UPDATE that captures
 * the row and the SELECT of it are one compound statement there): a row found from a row not found, a condition that
 * held from one that did not, a current snapshot from a stale one, in autocommit and inside a transaction. A wrong
 * answer here would be the previous call's row handed back as this call's.
 */
class AtomicUpdateReadBackTest {

    @EachDatabase
    void noRowFoundIsNeverReadAsThePreviousCallsRow(TestDatabase t) {
        try (Database db = Databases.open(t, b -> b.poolSize(1))) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, "n")).id();
            long missing = id + 1000;
            for (int i = 1; i <= 2; i++) {   // the first call checks the table; the second takes the usual path
                assertThat(db.update(Counter.class, id, set(Counter::count, plus(1)))).isEqualTo(new Counter(id, i, "n"));
                assertThatThrownBy(() -> db.update(Counter.class, missing, set(Counter::count, plus(1))))
                        .isInstanceOf(NotFoundException.class);
                assertThat(db.updateIf(Counter.class, id, atLeast(Counter::count, 100L), set(Counter::count, plus(1))))
                        .as("the condition did not hold").isEmpty();
            }
            db.useTransaction(tx -> {
                assertThat(tx.update(Counter.class, id, set(Counter::count, plus(1)))).isEqualTo(new Counter(id, 3, "n"));
                assertThatThrownBy(() -> tx.update(Counter.class, missing, set(Counter::count, plus(1))))
                        .isInstanceOf(NotFoundException.class);
                assertThat(tx.updateIf(Counter.class, id, atLeast(Counter::count, 100L), set(Counter::count, plus(1))))
                        .isEmpty();
            });
            assertThat(db.get(Counter.class, id)).isEqualTo(new Counter(id, 3, "n"));
            assertThat(db.find(Counter.class, missing)).isEmpty();
        }
    }

    @EachDatabase
    void aStaleSnapshotIsRefusedRightAfterACurrentOneWasWritten(TestDatabase t) {
        try (Database db = Databases.open(t, b -> b.poolSize(1))) {
            TestRecords.createTables(db, t.kind());
            Thing read = db.insert(new Thing(null, 0, 0, 0));
            Thing saved = db.update(read.withFoo(1));
            assertThat(saved).isEqualTo(new Thing(read.id(), 1, 0, 1));
            assertThatThrownBy(() -> db.update(read.withBar(7))).isInstanceOf(StaleWriteException.class);
            Thing bumped = db.update(Thing.class, read.id(), set(Thing::bar, plus(1)));
            assertThat(bumped).isEqualTo(new Thing(read.id(), 1, 1, 2));
            assertThatThrownBy(() -> db.update(saved.withBar(9))).as("the atomic update bumped the version")
                    .isInstanceOf(StaleWriteException.class);
            Optional<Thing> none = db.transact(tx -> tx.updateIf(Thing.class, read.id(), atLeast(Thing::foo, 5),
                    set(Thing::bar, plus(1))));
            assertThat(none).isEmpty();
            assertThat(db.get(Thing.class, read.id())).isEqualTo(bumped);
        }
    }

    /**
     * The SQL of an atomic update is built once per shape of its SET list and reused: the same columns with another
     * kind of expression, another raw SQL text, another order or another column must each get their own statement.
     */
    @EachDatabase
    void eachShapeOfSetListGetsItsOwnStatement(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, "n")).id();
            for (int round = 0; round < 2; round++) {   // the second round runs on the statements the first one built
                long base = db.get(Counter.class, id).count();
                assertThat(db.update(Counter.class, id, set(Counter::count, plus(3L))).count()).isEqualTo(base + 3);
                assertThat(db.update(Counter.class, id, set(Counter::count, 100L + base)).count()).isEqualTo(100 + base);
                assertThat(db.update(Counter.class, id, set(Counter::count, sql("count * ?", 2))).count())
                        .isEqualTo(2 * (100 + base));
                assertThat(db.update(Counter.class, id, set(Counter::count, sql("count - ?", 1))).count())
                        .isEqualTo(2 * (100 + base) - 1);
                assertThat(db.update(Counter.class, id, set("count", minus(1L))).count()).isEqualTo(2 * (100 + base) - 2);
                assertThat(db.update(Counter.class, id, set(Counter::count, plus(1L)), set(Counter::note, "a" + round)))
                        .isEqualTo(new Counter(id, 2 * (100 + base) - 1, "a" + round));
                assertThat(db.update(Counter.class, id, set(Counter::note, "b" + round), set(Counter::count, minus(1L))))
                        .isEqualTo(new Counter(id, 2 * (100 + base) - 2, "b" + round));
                assertThat(db.apply(Counter.class, id, set(Counter::note, "c" + round))).isTrue();
                assertThat(db.get(Counter.class, id)).isEqualTo(new Counter(id, 2 * (100 + base) - 2, "c" + round));
            }
        }
    }
}
