package dev.holdfast.error;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.error.CheckViolationException;
import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.error.ForeignKeyViolationException;
import dev.holdfast.error.NotNullViolationException;
import dev.holdfast.error.UniqueViolationException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorClassificationTest {

    @EachDatabase
    void constraintViolationsComeOutTyped(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table parent (id int primary key)");
            db.execute("""
                    create table child (
                      id int primary key,
                      parent_id int not null references parent(id),
                      qty int not null check (qty > 0))""");
            db.execute("insert into parent values (1)");
            db.execute("insert into child values (1, 1, 5)");

            assertThatThrownBy(() -> db.execute("insert into parent values (1)"))
                    .isInstanceOf(UniqueViolationException.class)
                    .hasCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("insert into parent values (1)");
            assertThatThrownBy(() -> db.execute("insert into child values (2, 99, 1)"))
                    .isInstanceOf(ForeignKeyViolationException.class).hasCauseInstanceOf(SQLException.class);
            assertThatThrownBy(() -> db.execute("delete from parent where id = 1"))
                    .isInstanceOf(ForeignKeyViolationException.class);
            assertThatThrownBy(() -> db.execute("insert into child values (3, 1, null)"))
                    .isInstanceOf(NotNullViolationException.class).hasCauseInstanceOf(SQLException.class);
            assertThatThrownBy(() -> db.execute("insert into child values (4, 1, 0)"))
                    .isInstanceOf(CheckViolationException.class).hasCauseInstanceOf(SQLException.class);

            // A failed transaction left nothing behind, and the violation was not retried.
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.execute("insert into parent values (2)");
                tx.execute("insert into parent values (1)");
            })).isInstanceOf(UniqueViolationException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from parent")).isEqualTo(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from child")).isEqualTo(1);
        }
    }

    @EachDatabase
    void aCheckedExceptionFromTheBodyRollsBackAndPassesThrough(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            assertThatThrownBy(() -> db.transact(tx -> {
                tx.execute("insert into item values (1)");
                throw new java.io.IOException("disk full");
            })).isInstanceOf(java.io.IOException.class).hasMessage("disk full");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
        }
    }

    @Test
    void anUnsupportedUrlNamesTheSupportedOnes() {
        assertThatThrownBy(() -> Database.open("jdbc:oracle:thin:@//db:1521/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:")
                .hasMessageContaining("jdbc:oracle:thin")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anSqliteFileInAMissingDirectorySaysSo() {
        assertThatThrownBy(() -> Database.open("jdbc:sqlite:/no/such/dir/app.db"))
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("/no/such/dir")
                .hasMessageContaining("does not exist");
    }

    @Test
    void anInMemorySqliteDatabaseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aWrongUserOrPasswordNamesTheUrlAndTheProblem(TestDatabase t) {
        String url = Databases.withoutCredentials(t.url());
        // PostgreSQL here trusts every known user, so an unknown role is how it refuses; MariaDB checks the password.
        String user = t.kind() == DatabaseKind.POSTGRES ? "no_such_role_hf" : t.user();
        assertThatThrownBy(() -> Database.builder(url).user(user).password("wrong-password").build())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("Cannot connect to " + url)
                .hasMessageContaining("user or password")
                .hasMessageNotContaining("wrong-password");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anUnreachableHostNamesTheUrlAndTheProblem(TestDatabase t) {
        String url = t.kind() == DatabaseKind.POSTGRES
                ? "jdbc:postgresql://127.0.0.1:1/test" : "jdbc:mariadb://127.0.0.1:1/test";
        assertThatThrownBy(() -> Database.builder(url).user("x").build())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("Cannot connect to " + url)
                .hasMessageContaining("check the host and port");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aMissingDatabaseNamesTheUrlAndTheProblem(TestDatabase t) {
        String url = Databases.withoutCredentials(t.url()).replaceFirst("(//[^/]+/)[^?]*", "$1no_such_db_hf");
        assertThatThrownBy(() -> Database.builder(url).user(t.user()).password(t.password()).build())
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("no_such_db_hf")
                .hasMessageContaining("database does not exist");
    }
}
