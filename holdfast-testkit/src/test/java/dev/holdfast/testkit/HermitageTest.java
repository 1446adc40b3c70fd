package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Isolation;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/**
 * Two of Hermitage's anomalies (reference/hermitage/postgres.md) written as actors on its {@code test} table, found or
 * ruled out by exploring every schedule on PostgreSQL.
 */
class HermitageTest {

    private static Interleaver.Builder hermitage(TestDatabase tdb, Isolation level) {
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table test (id int primary key, value int)");
                    db.execute("insert into test (id, value) values (1, 10), (2, 20)");
                })
                .isolation(level)
                .serializable("select id, value from test order by id");
    }

    /** P4: T1 and T2 both read value 10 and both write 11; one update is lost. */
    private static final Actor ADD_ONE_TO_ROW_1 = db -> db.transact(tx -> {
        int v = tx.queryScalar(Integer.class, "select value from test where id = 1");
        return tx.execute("update test set value = ? where id = 1", v + 1);
    });

    @EachDatabase(DatabaseKind.POSTGRES)
    void lostUpdateP4HappensAtReadCommitted(TestDatabase tdb) {
        Exploration result = hermitage(tdb, Isolation.READ_COMMITTED)
                .actor("T1", ADD_ONE_TO_ROW_1).actor("T2", ADD_ONE_TO_ROW_1).build().explore();

        Run lost = result.firstFailure().orElseThrow(() -> new AssertionError(result.summary()));
        assertThat(lost.outcome()).startsWith("[(1, 11), (2, 20)]");
        // Hermitage's schedule: both read, T1 updates, T2's update BLOCKS until T1 commits, then overwrites.
        Run hermitage = hermitage(tdb, Isolation.READ_COMMITTED)
                .actor("T1", ADD_ONE_TO_ROW_1).actor("T2", ADD_ONE_TO_ROW_1).build()
                .run(Schedule.parse("T1 T2 T1 T2 T1 T2"));
        assertThat(hermitage.failed()).isTrue();
        Step t2Update = hermitage.trace().steps().get(3);
        assertThat(t2Update.actor()).isEqualTo("T2");
        assertThat(t2Update.waited()).isEqualTo(Step.Wait.LOCK);
        assertThat(t2Update.resumedAfter()).isEqualTo(5);   // T1's COMMIT
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void lostUpdateP4IsPreventedAtRepeatableRead(TestDatabase tdb) {
        Exploration result = hermitage(tdb, Isolation.REPEATABLE_READ)
                .actor("T1", ADD_ONE_TO_ROW_1).actor("T2", ADD_ONE_TO_ROW_1).build().explore();

        result.assertNoFailures();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, 12), (2, 20)]");
        // Prevented by an error: "could not serialize access due to concurrent update", and a retry.
        assertThat(result.runs()).anyMatch(r -> r.trace().steps().stream()
                .anyMatch(s -> s.failed() && s.result().contains("40001")));
    }

    /**
     * G2-item, write skew: two accounts may go negative as long as their sum stays at least 0. Each actor checks the
     * sum, then withdraws 25 from its own account. Serially the second sees 5 and withdraws nothing.
     */
    private static Actor withdraw(int account) {
        return db -> db.transact(tx -> {
            long sum = tx.queryScalar(Long.class, "select sum(value) from test where id in (1, 2)");
            return sum >= 25 ? tx.execute("update test set value = value - 25 where id = ?", account) : 0;
        });
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void writeSkewG2ItemHappensAtRepeatableRead(TestDatabase tdb) {
        Exploration result = hermitage(tdb, Isolation.REPEATABLE_READ)
                .actor("T1", withdraw(1)).actor("T2", withdraw(2)).build().explore();

        Run skew = result.firstFailure().orElseThrow(() -> new AssertionError(result.summary()));
        assertThat(skew.outcome()).isEqualTo("[(1, -15), (2, -5)]");
        assertThat(skew.failure()).contains("not serializable");
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void writeSkewG2ItemIsPreventedAtSerializable(TestDatabase tdb) {
        Exploration result = hermitage(tdb, Isolation.SERIALIZABLE)
                .actor("T1", withdraw(1)).actor("T2", withdraw(2)).build().explore();

        result.assertNoFailures();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, -15), (2, 20)]", "[(1, 10), (2, -5)]");
        // "could not serialize access due to read/write dependencies among transactions"
        assertThat(result.runs()).anyMatch(r -> r.trace().steps().stream()
                .anyMatch(s -> s.failed() && s.result().contains("40001")));
    }
}
