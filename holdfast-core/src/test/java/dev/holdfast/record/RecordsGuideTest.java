package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import static dev.holdfast.record.Update.coalesce;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static dev.holdfast.record.Update.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.record.TestRecords.Counter;
import dev.holdfast.record.TestRecords.Thing;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The examples of docs/records.md, compiled and run on every database. */
class RecordsGuideTest {

    enum State { READY, RUNNING }

    @Table("job")
    record Job(@Id Long id, State state, Instant createdAt) {
    }

    record Total(long things, long foos) {
    }

    @EachDatabase
    void readingAndWriting(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Thing(null, 1, 1, 0)).id();

            Thing th = db.get(Thing.class, id);
            Optional<Thing> o = db.find(Thing.class, id);
            List<Thing> all = db.query(Thing.class, "select * from thing where foo = ?", 1);
            Optional<Thing> x = db.queryOne(Thing.class, "select * from thing where id = ?", id);
            Total total = db.queryOne(Total.class, "select count(*) as things, sum(foo) as foos from thing").orElseThrow();
            assertThat(o).contains(th);
            assertThat(all).containsExactly(th);
            assertThat(x).contains(th);
            assertThat(total).isEqualTo(new Total(1, 1));

            Thing m = db.modify(Thing.class, id, y -> y.withFoo(2));
            db.transact(tx -> tx.modify(Thing.class, id, y -> y.withBar(y.bar() + 1)));
            assertThat(db.reload(m)).isEqualTo(new Thing(id, 2, 2, 2));

            Thing read = db.get(Thing.class, id);
            try {
                Thing saved = db.update(read.withBar(3));
                assertThat(saved.version()).isEqualTo(3);
            } catch (StaleWriteException e) {
                Thing now = e.current(Thing.class);     // null when the row was deleted
                Thing mine = e.attempted(Thing.class);
                throw new AssertionError("nobody else wrote: " + now + " " + mine, e);
            }

            long cid = db.insert(new Counter(null, 0, null)).id();
            Counter c = db.update(Counter.class, cid, set(Counter::count, plus(1)));         // count = count + 1
            Counter d = db.update(Counter.class, cid, set(Counter::count, minus(3)), set(Counter::note, "x"));
            Counter e = db.update(Counter.class, cid, set(Counter::note, coalesce("first"))); // only where note is NULL
            Counter f = db.update(Counter.class, cid, set(Counter::count, sql("count * ?", 2))); // raw SQL, values still bound
            Counter g = db.update(Counter.class, cid, set("count", plus(1)));                // a column chosen at run time
            assertThat(List.of(c.count(), d.count(), e.count(), f.count(), g.count()))
                    .containsExactly(1L, -2L, -2L, -4L, -3L);
            assertThat(e.note()).isEqualTo("x");

            Thing s = db.upsert(new Thing(100L, 1, 1, 0));   // ON CONFLICT (id) DO UPDATE / ON DUPLICATE KEY UPDATE
            boolean gone = db.delete(s);                      // StaleWriteException if s is no longer current
            assertThat(gone).isTrue();
        }
    }

    @EachDatabase
    void lockingReadsAndNamedLocks(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table job (" + TestRecords.generatedId(t.kind())
                    + ", state varchar(20) not null, created_at " + (t.kind() == dev.holdfast.testdb.DatabaseKind.POSTGRES
                    ? "timestamptz" : t.kind() == dev.holdfast.testdb.DatabaseKind.MARIADB ? "datetime(6)" : "text")
                    + " not null)");
            for (int i = 0; i < 12; i++) {
                db.insert(new Job(null, State.READY, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
            }
            long collectionId = 7;
            List<Job> jobs = db.transact(tx -> {
                tx.lock("payments:" + collectionId);
                return tx.select(Job.class)
                        .where("state = ?", State.READY)
                        .orderBy("created_at")
                        .limit(10)
                        .forUpdate().skipLocked()
                        .list();
            });
            assertThat(jobs).hasSize(10);
            assertThat(jobs.get(0).createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }
}
