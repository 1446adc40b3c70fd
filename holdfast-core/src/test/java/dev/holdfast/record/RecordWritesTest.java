package dev.holdfast.record;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.error.MappingException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.TestRecords.Thing;
import static dev.holdfast.record.Update.coalesce;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static dev.holdfast.record.Update.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What each record operation writes, on each database, seen through the SQL it sends. */
class RecordWritesTest {

    @EachDatabase
    void insertReturnsGeneratedIdAndFindReadsItBack(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Thing a = db.insert(new Thing(null, 1, 1, 0));
            Thing b = db.insert(new Thing(null, 2, 2, 0));
            assertThat(a.id()).isNotNull().isNotEqualTo(b.id());
            assertThat(db.get(Thing.class, a.id())).isEqualTo(a);
            assertThat(db.find(Thing.class, -1L)).isEmpty();
            assertThatThrownBy(() -> db.get(Thing.class, -1L)).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("Thing id=-1");
            int inserted = db.transact(tx -> tx.insertAll(List.of(new Thing(null, 3, 3, 0), new Thing(null, 4, 4, 0))));
            assertThat(inserted).isEqualTo(2);
            assertThat(db.queryScalar(Long.class, "select count(*) from thing")).isEqualTo(4);
        }
    }

    @EachDatabase
    void modifyWritesOnlyTheChangedColumnsAndBumpsTheVersion(TestDatabase t) {
        List<String> sent = new ArrayList<>();
        try (Database db = Databases.open(t, b -> b.listener(new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement st) {
                sent.add(st.sql());
            }
        }))) {
            TestRecords.createTables(db, t.kind());
            Thing a = db.insert(new Thing(null, 1, 1, 0));
            sent.clear();
            Thing b = db.modify(Thing.class, a.id(), x -> x.withFoo(2));
            assertThat(b).isEqualTo(new Thing(a.id(), 2, 1, 1));
            String update = sent.stream().filter(s -> s.startsWith("UPDATE")).findFirst().orElseThrow();
            String setList = update.substring(0, update.indexOf(" WHERE "));
            assertThat(setList).contains("foo").doesNotContain("bar");
            if (t.kind() != dev.holdfast.testdb.DatabaseKind.SQLITE) {
                assertThat(sent.stream().filter(s -> s.startsWith("SELECT")).findFirst().orElseThrow())
                        .endsWith("FOR UPDATE");
            }
            assertThat(db.modify(Thing.class, a.id(), x -> x)).as("no change, no write").isEqualTo(b);
            assertThatThrownBy(() -> db.modify(Thing.class, a.id(), x -> new Thing(x.id(), 5, 5, 99)))
                    .hasMessageContaining("changed the @Version");
            assertThatThrownBy(() -> db.modify(Thing.class, -1L, x -> x)).isInstanceOf(NotFoundException.class);
        }
    }

    @EachDatabase
    void updateOfAStaleSnapshotIsRefusedWithTheCurrentRow(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Thing read = db.insert(new Thing(null, 1, 1, 0));
            Thing mine = db.update(read.withBar(3));
            assertThat(mine).isEqualTo(new Thing(read.id(), 1, 3, 1));
            StaleWriteException stale = org.junit.jupiter.api.Assertions.assertThrows(StaleWriteException.class,
                    () -> db.update(read.withFoo(9)));
            assertThat(stale.attempted()).isEqualTo(read.withFoo(9));
            assertThat(stale.current()).isEqualTo(mine);
            assertThat(stale).hasMessageContaining("since version 0 was read").hasMessageContaining("version 1");
            assertThat(db.get(Thing.class, read.id())).as("nothing written").isEqualTo(mine);

            assertThatThrownBy(() -> db.transact(tx -> tx.delete(read))).isInstanceOf(StaleWriteException.class);
            boolean deleted = db.transact(tx -> tx.delete(mine));
            assertThat(deleted).isTrue();
            assertThatThrownBy(() -> db.update(mine)).isInstanceOf(StaleWriteException.class)
                    .hasMessageContaining("deleted")
                    .satisfies(e -> assertThat(((StaleWriteException) e).current()).isNull());
        }
    }

    @EachDatabase
    void updateNeedsAVersion(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Counter c = db.insert(new Counter(null, 0, null));
            assertThatThrownBy(() -> db.update(c.withCount(1))).isInstanceOf(MappingException.class)
                    .hasMessageContaining("Counter.update(...) needs a @Version component to detect stale writes")
                    .hasMessageContaining("modify(Counter.class, id, fn)");
        }
    }

    @EachDatabase
    void atomicUpdatesComputeInTheDatabase(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Counter c = db.insert(new Counter(null, 10, null));
            assertThat(db.update(Counter.class, c.id(), set(Counter::count, plus(5))).count()).isEqualTo(15);
            assertThat(db.update(Counter.class, c.id(), set("count", minus(3))).count()).isEqualTo(12);
            assertThat(db.update(Counter.class, c.id(), set("note", coalesce("first"))).note()).isEqualTo("first");
            assertThat(db.update(Counter.class, c.id(), set("note", coalesce("second"))).note()).isEqualTo("first");
            assertThat(db.update(Counter.class, c.id(), set("count", sql("count * ?", 2)), set("note", "x")))
                    .isEqualTo(new Counter(c.id(), 24, "x"));
            Thing th = db.insert(new Thing(null, 1, 1, 0));
            assertThat(db.update(Thing.class, th.id(), set(Thing::foo, plus(1)))).as("version bumped too")
                    .isEqualTo(new Thing(th.id(), 2, 1, 1));
            assertThatThrownBy(() -> db.update(Counter.class, -1L, set("count", 1)))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> db.update(Counter.class, c.id(), set("nope", 1)))
                    .isInstanceOf(MappingException.class).hasMessageContaining("no component or column named \"nope\"");
            assertThatThrownBy(() -> db.update(Thing.class, th.id(), set("version", 1)))
                    .hasMessageContaining("cannot set the @Version");
        }
    }

    @EachDatabase
    void upsertInsertsThenOverwrites(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Thing first = db.transact(tx -> tx.upsert(new Thing(100L, 1, 1, 0)));
            assertThat(first).isEqualTo(new Thing(100L, 1, 1, 0));
            Thing second = db.transact(tx -> tx.upsert(new Thing(100L, 2, 3, 0)));
            assertThat(second).isEqualTo(new Thing(100L, 2, 3, 1));
            assertThat(db.queryScalar(Long.class, "select count(*) from thing")).isEqualTo(1);
        }
    }

    @EachDatabase
    void readsInsideATransactionSeeItsOwnWrites(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            Thing a = db.insert(new Thing(null, 1, 1, 0));
            db.useTransaction(tx -> {
                tx.execute("update thing set foo = 7, version = version + 1 where id = ?", a.id());
                assertThat(tx.get(Thing.class, a.id()).foo()).isEqualTo(7);
                assertThat(tx.reload(a).foo()).isEqualTo(7);
                tx.modify(Thing.class, a.id(), x -> x.withBar(8));
                assertThat(tx.get(Thing.class, a.id())).isEqualTo(new Thing(a.id(), 7, 8, 2));
            });
            assertThat(db.reload(a)).isEqualTo(new Thing(a.id(), 7, 8, 2));
        }
    }

    record Summary(long total, long things) {
    }

    record Wrong(long total, long missing) {
    }

    static final class NotARecord {
    }

    @Table("thing")
    record WithList(@Id Long id, List<String> foo) {
    }

    @EachDatabase
    void mappingProblemsNameTheRecordTheComponentAndTheFix(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            db.insert(new Thing(null, 1, 2, 0));
            assertThat(db.queryOne(Summary.class, "select sum(foo + bar) as total, count(*) as things from thing"))
                    .isEqualTo(Optional.of(new Summary(3, 1)));
            assertThatThrownBy(() -> db.query(Wrong.class, "select sum(foo) as total from thing"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("Wrong.missing")
                    .hasMessageContaining("as missing");
            assertThatThrownBy(() -> db.insert(new Summary(1, 1))).isInstanceOf(MappingException.class)
                    .hasMessageContaining("@Table(\"summary\")");
            assertThatThrownBy(() -> db.find(NotARecord.class, 1)).isInstanceOf(MappingException.class)
                    .hasMessageContaining("is not a record");
            assertThatThrownBy(() -> db.find(WithList.class, 1)).isInstanceOf(MappingException.class)
                    .hasMessageContaining("WithList.foo has type java.util.List");
            assertThatThrownBy(() -> db.query(Summary.class, "select null as total, 1 as things"))
                    .isInstanceOf(MappingException.class).hasMessageContaining("Summary.total is a primitive long");
        }
    }
}
