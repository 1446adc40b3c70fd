package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Database#executeReturning}, {@link Database#inTransaction}. */
class ExecuteReturningTest {

    @EachDatabase
    void aWriteThatReturnsRowsRunsOnItsOwnOrJoinsTheTransactionOnThisThread(TestDatabase t) {
        List<SqlStatement.Kind> kinds = new CopyOnWriteArrayList<>();
        StatementListener recorder = new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement s) {
                kinds.add(s.kind());
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(recorder))) {
            db.execute("create table item (id int primary key, name varchar(10))");
            kinds.clear();
            // INSERT ... RETURNING: PostgreSQL, SQLite 3.35+ and MariaDB 10.5+ all have it
            assertThat(db.executeReturning(rs -> rs.getString(1), "insert into item values (?, ?) returning name", 1,
                    "one")).containsExactly("one");
            if (t.kind() == DatabaseKind.SQLITE) {
                // SQLite's writer runs every write in its group commit (BEGIN, SAVEPOINT ... COMMIT)
                assertThat(kinds).filteredOn(k -> k == SqlStatement.Kind.UPDATE).hasSize(1);
            } else {
                assertThat(kinds).as("one statement, no transaction around it")
                        .containsExactly(SqlStatement.Kind.UPDATE);
            }
            assertThat(db.inTransaction()).isFalse();

            assertThatThrownBy(() -> db.transact(tx -> {
                assertThat(db.inTransaction()).isTrue();
                assertThat(db.executeReturning(rs -> rs.getInt(1), "insert into item values (?, ?) returning id", 2,
                        "two")).containsExactly(2);
                throw new IllegalStateException("roll back");
            })).hasMessage("roll back");
            assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id"))
                    .as("the insert joined the transaction that rolled back").containsExactly(1);

            assertThatThrownBy(() -> db.read(tx -> db.executeReturning(rs -> rs.getInt(1),
                    "insert into item values (?, ?) returning id", 3, "three")))
                    .isInstanceOf(HoldfastException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1L);
        }
    }
}
