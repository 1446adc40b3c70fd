package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.StaleWriteException;
import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.TestRecords.Thing;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Eight threads hammer one row through each write path; every acknowledged write must be in the database. The
 * naive read-modify-write loses most of these increments (see the examples module); these paths lose none.
 */
class ConcurrentRecordWritesTest {
    static final int THREADS = 8;
    static final int TIMES = 50;

    @EachDatabase
    void modifyLosesNoIncrement(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, null)).id();
            Hammer.run(THREADS, TIMES, (th, i) -> db.modify(Counter.class, id, c -> c.withCount(c.count() + 1)));
            assertThat(db.get(Counter.class, id).count()).isEqualTo(THREADS * TIMES);
        }
    }

    @EachDatabase
    void modifiesOfDifferentColumnsKeepEachOther(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Thing(null, 0, 0, 0)).id();
            Hammer.run(THREADS, TIMES, (th, i) -> {
                if (th % 2 == 0) {
                    db.modify(Thing.class, id, x -> x.withFoo(x.foo() + 1));
                } else {
                    db.modify(Thing.class, id, x -> x.withBar(x.bar() + 1));
                }
            });
            Thing end = db.get(Thing.class, id);
            assertThat(end.foo() + end.bar()).isEqualTo(THREADS * TIMES);
            assertThat(end.version()).isEqualTo(THREADS * TIMES);
        }
    }

    @EachDatabase
    void atomicUpdateLosesNoIncrement(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, null)).id();
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            Hammer.run(THREADS, TIMES, (th, i) -> seen.add(db.update(Counter.class, id, set(Counter::count, plus(1)))
                    .count()));
            assertThat(db.get(Counter.class, id).count()).isEqualTo(THREADS * TIMES);
            assertThat(seen).as("each update returned its own new row").hasSize(THREADS * TIMES);
        }
    }

    @EachDatabase
    void optimisticUpdateWithRetryLosesNothingAndStaleWritesAreRefused(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Thing(null, 0, 0, 0)).id();
            AtomicInteger refused = new AtomicInteger();
            // In the first round every thread reads version 0 before any writes: all but one must be refused.
            java.util.concurrent.CyclicBarrier allRead = new java.util.concurrent.CyclicBarrier(THREADS);
            Hammer.run(THREADS, TIMES, (th, i) -> {
                boolean firstRound = i == 0;
                while (true) {
                    Thing read = db.get(Thing.class, id);
                    if (firstRound) {
                        firstRound = false;
                        allRead.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    try {
                        db.update(read.withFoo(read.foo() + 1));
                        return;
                    } catch (StaleWriteException e) {
                        refused.incrementAndGet();
                    }
                }
            });
            Thing end = db.get(Thing.class, id);
            assertThat(end.foo()).isEqualTo(THREADS * TIMES);
            assertThat(end.version()).isEqualTo(THREADS * TIMES);
            assertThat(refused.get()).as("stale writes refused (and retried) when %d threads wrote the same version",
                    THREADS).isGreaterThanOrEqualTo(THREADS - 1);
        }
    }

    @EachDatabase
    void insertsAreAllKept(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            Hammer.run(THREADS, TIMES, (th, i) -> ids.add(db.insert(new Thing(null, th, i, 0)).id()));
            assertThat(ids).hasSize(THREADS * TIMES);
            assertThat(db.queryScalar(Long.class, "select count(*) from thing")).isEqualTo(THREADS * TIMES);
        }
    }

    @EachDatabase
    void advisoryLockSerialisesAReadThenWrite(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, null)).id();
            Hammer.run(THREADS, TIMES, (th, i) -> db.useTransaction(tx -> {
                tx.lock("counter:" + id);
                long n = tx.queryScalar(Long.class, "select count from counter where id = ?", id);
                tx.execute("update counter set count = ? where id = ?", n + 1, id);
            }));
            assertThat(db.get(Counter.class, id).count()).isEqualTo(THREADS * TIMES);
        }
    }

    @EachDatabase
    void selectForUpdateSerialisesAReadThenWrite(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, null)).id();
            Hammer.run(THREADS, TIMES, (th, i) -> db.useTransaction(tx -> {
                Counter c = tx.select(Counter.class).where("id = ?", id).forUpdate().one();
                tx.execute("update counter set count = ? where id = ?", c.count() + 1, id);
            }));
            assertThat(db.get(Counter.class, id).count()).isEqualTo(THREADS * TIMES);
        }
    }
}
