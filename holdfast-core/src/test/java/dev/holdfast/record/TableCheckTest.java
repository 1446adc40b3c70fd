package dev.holdfast.record;

import static dev.holdfast.record.TestRecords.Counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.error.MappingException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Issue 10 item 6: a record type is checked against its table's real columns the first time it is used, once per
 * database. Before the check, SQLite read a component without a column as its own name ({@code Wrong[id=1,
 * skew=skew]}) and a record without {@code @Id} on a keyed table failed only at the first call by id.
 */
class TableCheckTest {

    @Table("counter")
    record Wrong(@Id Long id, String skew) {
    }

    @Table("counter")
    record NoId(Long id, long count, String note) {
    }

    @Table("no_such_table")
    record Missing(@Id Long id) {
    }

    @EachDatabase
    void aComponentWithoutAColumnIsAMappingExceptionNamingTheColumnsThatExist(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 1, "n")).id();
            assertThatThrownBy(() -> db.get(Wrong.class, id)).isInstanceOf(MappingException.class)
                    .hasMessageContaining("Wrong.skew").hasMessageContaining("column skew")
                    .hasMessageContaining("[id, count, note]");
            assertThatThrownBy(() -> db.select(Wrong.class).list()).isInstanceOf(MappingException.class)
                    .hasMessageContaining("Wrong.skew");
            assertThatThrownBy(() -> db.find(Missing.class, 1L)).isInstanceOf(MappingException.class)
                    .hasMessageContaining("no_such_table").hasMessageContaining("does not exist");
        }
    }

    @EachDatabase
    void aRecordWithoutIdOnAKeyedTableFailsAtFirstUseEvenForAnInsert(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            assertThatThrownBy(() -> db.insert(new NoId(null, 1, "n"))).isInstanceOf(MappingException.class)
                    .hasMessageContaining("NoId has no @Id").hasMessageContaining("primary key [id]");
            assertThat(db.queryScalar(Long.class, "select count(*) from counter")).as("nothing written").isZero();
        }
    }

    @EachDatabase
    void theCheckRunsOncePerTypeAndDatabase(TestDatabase t) {
        List<String> sent = new CopyOnWriteArrayList<>();
        StatementListener listener = new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement st) {
                sent.add(st.sql());
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(listener))) {
            TestRecords.createTables(db, t.kind());
            Counter c = db.insert(new Counter(null, 1, "n"));
            db.get(Counter.class, c.id());
            db.transact(tx -> tx.modify(Counter.class, c.id(), x -> x.withCount(2)));
            db.update(Counter.class, c.id(), Update.set(Counter::count, Update.plus(1L)));
            assertThat(sent.stream().filter(TableCheckTest::isCheck)).hasSize(1);
        }
        sent.clear();
        try (Database db = Databases.open(t, b -> b.listener(listener))) {
            db.find(Counter.class, 1L);
            db.find(Counter.class, 1L);
            assertThat(sent.stream().filter(TableCheckTest::isCheck)).as("a new Database checks again").hasSize(1);
        }
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void postgresNamesAreCaseSensitiveAndTheMessageSaysSo(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table shelf (id bigint primary key, \"Label\" text)");
            assertThatThrownBy(() -> db.find(Shelf.class, 1L)).isInstanceOf(MappingException.class)
                    .hasMessageContaining("case-sensitive").hasMessageContaining("@Column(\"Label\")");
        }
    }

    @Table("shelf")
    record Shelf(@Id Long id, String label) {
    }

    private static boolean isCheck(String sql) {
        String s = sql.toLowerCase(java.util.Locale.ROOT);
        return s.contains("table_info") || s.contains("pg_attribute") || s.contains("information_schema.columns");
    }
}
