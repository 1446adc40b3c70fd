package dev.holdfast;

import dev.holdfast.error.UniqueViolationException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

class SavepointTest {

    @EachDatabase
    void aSavepointThatThrowsRollsBackOnlyItsOwnWrites(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key, name varchar(20) not null)");
            db.useTransaction(tx -> {
                tx.execute("insert into item values (1, 'before')");
                assertThatThrownBy(() -> tx.savepoint(sp -> {
                    sp.execute("insert into item values (2, 'inside')");
                    throw new IllegalStateException("changed my mind");
                })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");
                tx.execute("insert into item values (3, 'after')");
            });
            assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id")).containsExactly(1, 3);
        }
    }

    @EachDatabase
    void aConstraintViolationInsideASavepointLeavesTheTransactionUsable(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table tag (name varchar(20) primary key)");
            db.execute("insert into tag values ('java')");
            db.useTransaction(tx -> {
                for (String name : new String[] {"sql", "java", "jdbc"}) {
                    try {
                        tx.savepoint(sp -> sp.execute("insert into tag values (?)", name));
                    } catch (UniqueViolationException alreadyThere) {
                        // PostgreSQL would refuse every later statement without the savepoint's rollback
                    }
                }
            });
            assertThat(db.query(rs -> rs.getString(1), "select name from tag order by name"))
                    .containsExactly("java", "jdbc", "sql");
        }
    }

    @EachDatabase
    void aNestedTransactJoinsTheOuterTransactionAsASavepoint(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            assertThatThrownBy(() -> db.useTransaction(outer -> {
                outer.execute("insert into item values (1)");
                try {
                    db.useTransaction(inner -> {
                        inner.execute("insert into item values (2)");
                        throw new IllegalArgumentException("inner fails");
                    });
                } catch (IllegalArgumentException expected) {
                    // only the inner part is undone
                }
                db.useTransaction(inner -> inner.execute("insert into item values (3)"));
                assertThat(db.query(rs -> rs.getInt(1), "select id from item order by id"))
                        .as("a statement outside the lambda on this thread sees the transaction's own writes")
                        .containsExactly(1, 3);
                throw new IllegalStateException("outer fails");
            })).hasMessage("outer fails");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }
}
