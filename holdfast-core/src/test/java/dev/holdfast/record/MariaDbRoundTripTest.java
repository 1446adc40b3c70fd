package dev.holdfast.record;

import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/**
 * Issue 18: on MariaDB {@code db.update(Type, id, set(..., plus(1)))} took 5 round trips ({@code set autocommit=0},
 * UPDATE, SELECT, COMMIT, {@code set autocommit=1}) and held the row lock across UPDATE, SELECT and COMMIT. Counted
 * here by the server itself (the session's {@code Questions} counter, on a one-connection pool): now an autocommit
 * UPDATE that captures the new row into session variables, and a SELECT of them; {@code apply} is the UPDATE alone.
 */
class MariaDbRoundTripTest {

    @EachDatabase(DatabaseKind.MARIADB)
    void anAtomicUpdateIsTwoStatementsAndHoldsTheLockForOne(TestDatabase t) {
        try (Database db = Databases.open(t, b -> b.poolSize(1))) {
            TestRecords.createTables(db, t.kind());
            long id = db.insert(new Counter(null, 0, "n")).id();
            db.update(Counter.class, id, set(Counter::count, plus(1)));   // the first use checks the table
            long nothing = statementsOf(db, () -> { });
            long update = statementsOf(db, () -> assertThat(db.update(Counter.class, id, set(Counter::count, plus(1))))
                    .isEqualTo(new Counter(id, 2, "n"))) - nothing;
            long apply = statementsOf(db, () -> db.apply(Counter.class, id, set(Counter::count, plus(1)))) - nothing;
            assertThat(update).as("UPDATE capturing the row, SELECT of the captured values").isEqualTo(2);
            assertThat(apply).as("the UPDATE alone").isEqualTo(1);
            assertThat(db.get(Counter.class, id).count()).isEqualTo(3);
        }
    }

    /** Statements the server counted on the pool's one connection while {@code body} ran (plus the probe's own). */
    private static long statementsOf(Database db, Runnable body) {
        long before = questions(db);
        body.run();
        return questions(db) - before;
    }

    private static long questions(Database db) {
        return db.queryOne(rs -> rs.getLong(2), "SHOW SESSION STATUS LIKE 'Questions'").orElseThrow();
    }
}
