package dev.holdfast.record;

import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.MappingException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The record API as users found it (issue 10): the single-statement forms on Database, the {@code with} copier, typed
 * stale-write accessors, and atomic updates whose returned rows are each exactly the row they wrote.
 */
class RecordApiTest {

    @Table("item")
    record Item(@Id Long id, String name, long stock, String note, @Version long version) implements Copyable<Item> {
    }

    static void createTable(Database db, TestDatabase t) {
        db.execute("create table item (" + TestRecords.generatedId(t.kind()) + ", name varchar(50) not null, "
                + "stock bigint not null, note varchar(50), version bigint not null)");
    }

    @EachDatabase
    void databaseHasTheSingleStatementFormsOfTransaction(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            createTable(db, t);
            assertThat(db.insertAll(List.of(new Item(null, "a", 1, null, 0), new Item(null, "b", 2, null, 0))))
                    .isEqualTo(2);
            List<Item> items = db.select(Item.class).where("stock >= ?", 1).orderBy("name").list();
            assertThat(items).extracting(Item::name).containsExactly("a", "b");
            Item a = items.get(0);
            Item up = db.upsert(new Item(a.id(), "a2", 5, "n", a.version()));
            assertThat(up).isEqualTo(new Item(a.id(), "a2", 5, "n", a.version() + 1));
            assertThat(db.select(Item.class).where("name = ?", "a2").one()).isEqualTo(up);
            assertThatThrownBy(() -> db.delete(a)).isInstanceOf(StaleWriteException.class);
            assertThat(db.delete(up)).isTrue();
            assertThat(db.delete(Item.class, items.get(1).id())).isTrue();
            assertThat(db.delete(Item.class, items.get(1).id())).isFalse();
            assertThat(db.select(Item.class).list()).isEmpty();
            assertThatThrownBy(() -> db.select(Item.class).forUpdate().list()).isInstanceOf(HoldfastException.class)
                    .hasMessageContaining("needs a transaction");
        }
    }

    @EachDatabase
    void insertAllOnDatabaseIsAllOrNothing(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            createTable(db, t);
            Item first = db.insert(new Item(null, "a", 1, null, 0));
            assertThatThrownBy(() -> db.insertAll(List.of(new Item(null, "b", 1, null, 0),
                    new Item(first.id(), "dup", 1, null, 0)))).isInstanceOf(HoldfastException.class);
            assertThat(db.select(Item.class).list()).containsExactly(first);
        }
    }

    @EachDatabase
    void withCopiesARecordAndModifyStillWritesOnlyTheChangedColumns(TestDatabase t) {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Database db = Databases.open(t, b -> b.listener(new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement st) {
                sent.add(st.sql());
            }
        }))) {
            createTable(db, t);
            Item a = db.insert(new Item(null, "a", 1, null, 0));
            sent.clear();
            Item b = db.modify(Item.class, a.id(), x -> x.with(Item::name, "renamed").with(Item::stock, x.stock() + 1));
            assertThat(b).isEqualTo(new Item(a.id(), "renamed", 2, null, 1));
            String update = sent.stream().filter(s -> s.startsWith("UPDATE")).findFirst().orElseThrow();
            String setList = update.substring(0, update.indexOf(" WHERE "));
            assertThat(setList).contains("name").contains("stock").doesNotContain("note");
            assertThat(Copyable.with(b, Item::note, "n")).isEqualTo(new Item(a.id(), "renamed", 2, "n", 1));
            assertThatThrownBy(() -> a.with(Item::name, null).with(Item::stock, (Long) null))
                    .isInstanceOf(MappingException.class).hasMessageContaining("Item.stock is a long");
        }
    }

    @EachDatabase
    void staleWriteExceptionIsTyped(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            createTable(db, t);
            Item read = db.insert(new Item(null, "a", 1, null, 0));
            Item theirs = db.update(read.with(Item::stock, 2L));
            StaleWriteException e = org.junit.jupiter.api.Assertions.assertThrows(StaleWriteException.class,
                    () -> db.update(read.with(Item::stock, 3L)));
            Item mine = e.attempted(Item.class);
            Item now = e.current(Item.class);
            assertThat(mine.stock()).isEqualTo(3);
            assertThat(now).isEqualTo(theirs);
            assertThatThrownBy(() -> e.current(String.class)).isInstanceOf(ClassCastException.class)
                    .hasMessageContaining(Item.class.getName());
        }
    }

    /**
     * Each atomic update returns the row it wrote: every update bumps the version and adds one to name length's
     * stand-in (stock) or to note's counter, so a returned row mixing two moments breaks stock + notes == version.
     */
    @EachDatabase
    void eightThreadsOfAtomicUpdatesEachGetExactlyTheRowTheyWrote(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new TestRecords.Thing(null, 0, 0, 0)).id();
            Queue<TestRecords.Thing> returned = new ConcurrentLinkedQueue<>();
            Hammer.run(8, 25, (th, i) -> returned.add(th % 2 == 0
                    ? db.update(TestRecords.Thing.class, id, set(TestRecords.Thing::foo, plus(1)))
                    : db.update(TestRecords.Thing.class, id, set(TestRecords.Thing::bar, plus(1)))));
            List<Long> versions = new ArrayList<>();
            for (TestRecords.Thing r : returned) {
                assertThat(r.foo() + r.bar()).as("a consistent row: %s", r).isEqualTo(r.version());
                versions.add(r.version());
            }
            assertThat(versions).as("no update lost or read twice").doesNotHaveDuplicates().hasSize(200)
                    .allSatisfy(v -> assertThat(v).isBetween(1L, 200L));
            TestRecords.Thing end = db.get(TestRecords.Thing.class, id);
            assertThat(end.foo() + end.bar()).isEqualTo(200);
        }
    }
}
