package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/** The read-modify-write counter: the naive versions lose an increment under some schedule; the safe ones never do. */
class LostUpdateCounterTest {

    private static Interleaver.Builder counter(TestDatabase tdb) {
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .serializable("select id, n from counter order by id");
    }

    /** Read in one transaction, write in another: loses on every database, SQLite's BEGIN IMMEDIATE included. */
    @EachDatabase
    void readThenWriteInSeparateTransactionsLosesAnIncrement(TestDatabase tdb) {
        Actor increment = db -> {
            int n = db.read(tx -> tx.queryScalar(Integer.class, "select n from counter where id = ?", 1));
            db.transact(tx -> tx.execute("update counter set n = ? where id = ?", n + 1, 1));
        };
        Exploration result = counter(tdb).actor("A", increment).actor("B", increment).build().explore();

        assertThat(result.complete()).isTrue();
        Run lost = result.firstFailure().orElseThrow(() -> new AssertionError("no failing schedule:\n" + result));
        assertThat(lost.failure()).contains("not serializable").contains("[(1, 1)]");
        assertThat(result.outcomes()).containsKeys("[(1, 1)]", "[(1, 2)]");
    }

    /** Read and write in one READ COMMITTED transaction: loses on PostgreSQL and MariaDB. */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void readThenWriteInOneReadCommittedTransactionLosesAnIncrement(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = ?", 1);
            return tx.execute("update counter set n = ? where id = ?", n + 1, 1);
        });
        Exploration result = counter(tdb).actor("A", increment).actor("B", increment).build().explore();

        assertThat(result.firstFailure()).as(result.summary()).isPresent();
        // 3 steps each (select, update, commit): at most C(6,3) = 20 schedules, fewer where a step blocks.
        assertThat(result.schedules()).isLessThanOrEqualTo(20);
        assertThat(result.runs()).anyMatch(r -> r.trace().anyBlocked());
    }

    /** The same code is safe on SQLite: a write transaction begins IMMEDIATE, so the two never overlap. */
    @EachDatabase(DatabaseKind.SQLITE)
    void readThenWriteInOneTransactionIsSafeOnSqlite(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = ?", 1);
            return tx.execute("update counter set n = ? where id = ?", n + 1, 1);
        });
        Exploration result = counter(tdb).actor("A", increment).actor("B", increment).everyActorSucceeds().build()
                .explore();

        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, 2)]");
        assertThat(result.runs()).anyMatch(r -> r.trace().steps().stream().anyMatch(s -> s.waited() == Step.Wait.BUSY));
    }

    @EachDatabase
    void atomicUpdatePassesEverySchedule(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> tx.execute("update counter set n = n + 1 where id = ?", 1));
        Exploration result = counter(tdb).actor("A", increment).actor("B", increment).everyActorSucceeds().build()
                .explore();

        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        assertThat(result.complete()).isTrue();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, 2)]");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void selectForUpdatePassesEverySchedule(TestDatabase tdb) {
        Actor increment = db -> db.transact(tx -> {
            int n = tx.queryScalar(Integer.class, "select n from counter where id = ? for update", 1);
            return tx.execute("update counter set n = ? where id = ?", n + 1, 1);
        });
        Exploration result = counter(tdb).actor("A", increment).actor("B", increment).everyActorSucceeds().build()
                .explore();

        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, 2)]");
        assertThat(result.runs()).anyMatch(r -> r.trace().steps().stream().anyMatch(s -> s.waited() == Step.Wait.LOCK));
    }
}
