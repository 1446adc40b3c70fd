package dev.holdfast;

import dev.holdfast.error.HoldfastException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

class StatementListenerTest {

    @EachDatabase
    void aListenerSeesEveryStatementOfATransaction(TestDatabase t) {
        List<StatementOutcome> seen = new CopyOnWriteArrayList<>();
        StatementListener recorder = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                seen.add(o);
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(recorder))) {
            db.execute("create table item (id int primary key, name varchar(10))");
            seen.clear();
            db.useTransaction(tx -> {
                tx.execute("insert into item values (?, ?)", 1, "one");
                tx.query(rs -> rs.getInt(1), "select id from item where name = ?", "one");
                tx.execute("update item set name = ? where id = ?", "uno", 1);
            });
            List<String> sql = seen.stream().map(o -> o.statement().sql()).toList();
            assertThat(sql).containsSubsequence(
                    "insert into item values (?, ?)",
                    "select id from item where name = ?",
                    "update item set name = ? where id = ?");
            assertThat(seen.get(seen.size() - 1).statement().kind()).isEqualTo(SqlStatement.Kind.COMMIT);
            StatementOutcome insert = seen.stream().filter(o -> o.statement().sql().startsWith("insert")).findFirst()
                    .orElseThrow();
            assertThat(insert.statement().parameters()).containsExactly(1, "one");
            assertThat(insert.rows()).isEqualTo(1);
            assertThat(insert.elapsed()).isPositive();
            StatementOutcome query = seen.stream().filter(o -> o.statement().kind() == SqlStatement.Kind.QUERY)
                    .findFirst().orElseThrow();
            assertThat(query.rows()).isEqualTo(1);
            // every database: the first event is the BEGIN (SQLite sends it; on JDBC it is setAutoCommit(false)),
            // so a listener can tell where a transaction starts (the race detector groups statements by it)
            assertThat(seen.get(0).statement().kind()).isEqualTo(SqlStatement.Kind.BEGIN);
            assertThat(sql.get(0)).startsWith("BEGIN");
            assertThat(seen).allSatisfy(o -> assertThat(o.statement().attempt()).isEqualTo(1));
        }
    }

    @EachDatabase
    void aStatementOnItsOwnIsAttemptZeroInAutocommit(TestDatabase t) {
        List<StatementOutcome> seen = new CopyOnWriteArrayList<>();
        StatementListener recorder = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                seen.add(o);
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(recorder))) {
            db.execute("create table item (id int primary key, name varchar(10))");
            seen.clear();
            db.execute("insert into item values (?, ?)", 1, "one");
            db.queryScalar(Long.class, "select count(*) from item");
            // on SQLite too: with the writer free, a statement on its own runs alone in autocommit in the caller's
            // thread (when writers contend, it joins a group commit in a savepoint instead)
            assertThat(seen).extracting(o -> o.statement().kind())
                    .containsExactly(SqlStatement.Kind.UPDATE, SqlStatement.Kind.QUERY);
            assertThat(seen).allSatisfy(o -> assertThat(o.statement().attempt())
                    .as("attempt of %s, run on its own", o.statement()).isZero());
        }
    }

    @EachDatabase
    void aVetoAbortsTheTransactionWithNothingWritten(TestDatabase t) {
        StatementListener noDeletes = new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement s) {
                if (s.sql().startsWith("delete")) {
                    throw new HoldfastException("deletes are not allowed here: " + s.sql());
                }
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(noDeletes))) {
            db.execute("create table item (id int primary key)");
            db.execute("insert into item values (1)");
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.execute("insert into item values (2)");
                tx.execute("delete from item where id = 1");
            })).hasMessageContaining("deletes are not allowed here");
            assertThat(db.query(rs -> rs.getInt(1), "select id from item")).containsExactly(1);
        }
    }

    @EachDatabase
    void aReadRefusesToWrite(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            assertThatThrownBy(() -> db.read(tx -> tx.execute("insert into item values (1)")))
                    .hasMessageContaining("read-only")
                    .hasMessageContaining("db.transact");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }
}
