package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Code written with raw JDBC (or anything built on a DataSource) is explored the same way. */
class JdbcActorTest {

    /** Read-modify-write in one READ COMMITTED transaction, in plain JDBC. */
    private static final JdbcActor INCREMENT = ds -> {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            int n;
            try (PreparedStatement ps = c.prepareStatement("select n from counter where id = ?")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update counter set n = ? where id = ?")) {
                ps.setInt(1, n + 1);
                ps.setInt(2, 1);
                ps.executeUpdate();
            }
            c.commit();
        }
    };

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aLostUpdateInRawJdbcIsFound(TestDatabase tdb) {
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .jdbcActor("A", INCREMENT)
                .jdbcActor("B", INCREMENT)
                .invariant("both increments count", db -> {
                    int n = db.queryScalar(Integer.class, "select n from counter where id = 1");
                    if (n != 2) {
                        throw new AssertionError("expected n = 2 after two increments, found " + n);
                    }
                })
                .finalState("select n from counter")
                .build()
                .explore();

        Run lost = result.firstFailure().orElseThrow(() -> new AssertionError(result.summary()));
        assertThat(lost.failure()).isEqualTo("invariant 'both increments count' does not hold: "
                + "expected n = 2 after two increments, found 1");
        // The trace shows what each actor read and the values it bound.
        Step firstRead = lost.trace().steps().get(0);
        assertThat(firstRead.sql()).isEqualTo("select n from counter where id = ?");
        assertThat(firstRead.parameters()).containsExactly(1);
        assertThat(firstRead.result()).isEqualTo("(0)");
        assertThat(lost.trace().steps()).anyMatch(s -> s.sql().startsWith("update") && s.parameters().equals(
                java.util.List.of(1, 1)));
    }
}
