package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.ParameterException;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Issue 10, items 3 to 5: a wrong number of values, or a value Holdfast cannot bind, is refused before the statement is
 * sent, on every database, and nothing of it is written. On SQLite the writer reuses prepared statements, so a missing
 * value used to be filled with the previous call's value.
 */
class BindValuesTest {
    private static final String INSERT = "insert into item(id, a, b) values (?, ?, ?)";

    private static Database open(TestDatabase t) {
        Database db = Databases.open(t);
        db.execute("create table item (id int primary key, a varchar(20), b varchar(20))");
        return db;
    }

    @EachDatabase
    void aMissingValueIsRefusedAndNeverTakenFromThePreviousCall(TestDatabase t) {
        try (Database db = open(t)) {
            db.execute(INSERT, 1, "first", "kept");
            assertThatThrownBy(() -> db.execute(INSERT, 2, "second"))
                    .isInstanceOf(ParameterException.class)
                    .hasMessageContaining(INSERT).hasMessageContaining("3 placeholders").hasMessageContaining("2 values");
            assertThatThrownBy(() -> db.transact(tx -> tx.execute(INSERT, 3, "third")))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("3 placeholders");
            assertThatThrownBy(() -> db.query(rs -> rs.getInt(1), "select id from item where a = ? and b = ?", "first"))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("2 placeholders");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1L);
            // the statement is still good for a correct call, and binds the values of that call only
            db.execute(INSERT, 4, "fourth", null);
            assertThat(db.queryScalar(String.class, "select b from item where id = ?", 4)).isNull();
        }
    }

    @EachDatabase
    void anExtraValueIsRefusedNamingTheStatementAndBothCounts(TestDatabase t) {
        try (Database db = open(t)) {
            assertThatThrownBy(() -> db.execute("insert into item(id, a) values (?, ?)", 1, "a", "extra"))
                    .isInstanceOf(ParameterException.class)
                    .hasMessageContaining("insert into item(id, a) values (?, ?)")
                    .hasMessageContaining("2 placeholders").hasMessageContaining("3 values");
            assertThatThrownBy(() -> db.transact(tx -> tx.executeBatch(INSERT,
                    List.of(new Object[] {1, "a", "b"}, new Object[] {2, "a", "b", "extra"}))))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("batch row 1")
                    .hasMessageContaining("4 values");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }

    @EachDatabase
    void aValueOfAnUnknownTypeIsRefusedWithItsTypeNamed(TestDatabase t) {
        try (Database db = open(t)) {
            assertThatThrownBy(() -> db.execute(INSERT, 1, new Object(), "b"))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("java.lang.Object")
                    .hasMessageContaining("value 2");
            assertThatThrownBy(() -> db.execute(INSERT, 2, "a", new StringBuilder("b")))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("java.lang.StringBuilder");
            assertThatThrownBy(() -> db.execute(INSERT, 3, "a", new Date()))
                    .isInstanceOf(ParameterException.class).hasMessageContaining("toInstant()");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }

    @EachDatabase
    void questionMarksInLiteralsNamesAndCommentsAreNotPlaceholders(TestDatabase t) {
        try (Database db = open(t)) {
            db.execute("insert into item(id, a, b) values (?, '?', ?) /* a ? in a comment */", 1, "b?");
            assertThat(db.queryScalar(String.class, "select a from item where b = ? -- is it?\n", "b?")).isEqualTo("?");
        }
    }

    @EachDatabase
    void aRefusedStatementReachesTheListenersAsAFailure(TestDatabase t) {
        List<StatementOutcome> seen = new CopyOnWriteArrayList<>();
        StatementListener listener = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome outcome) {
                seen.add(outcome);
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(listener))) {
            db.execute("create table item (id int primary key, a varchar(20), b varchar(20))");
            seen.clear();
            assertThatThrownBy(() -> db.execute(INSERT, 1)).isInstanceOf(ParameterException.class);
            List<StatementOutcome> failed = new ArrayList<>();
            for (StatementOutcome o : seen) {
                if (o.statement().sql().equals(INSERT)) {
                    failed.add(o);
                }
            }
            assertThat(failed).singleElement().satisfies(o -> assertThat(o.error()).isInstanceOf(ParameterException.class));
        }
    }
}
