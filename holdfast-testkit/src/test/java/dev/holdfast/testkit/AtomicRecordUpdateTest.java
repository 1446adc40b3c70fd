package dev.holdfast.testkit;

import static dev.holdfast.record.Condition.atLeast;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/**
 * The record API's atomic and guarded updates through every schedule of two actors. On MariaDB
 * {@code db.update(Type, id, set(..., plus(1)))} is an autocommit UPDATE that captures the new row into session
 * variables, then a SELECT of them (issue 18): each actor must read back exactly the row it wrote, whatever the other
 * did between its two statements. Each actor records what it was told in a table whose key refuses a repeat.
 */
class AtomicRecordUpdateTest {

    @Table("counter")
    record Counter(@Id Integer id, int n) {
    }

    @EachDatabase
    void eachAtomicUpdateReadsBackItsOwnRowInEverySchedule(TestDatabase tdb) {
        Actor increment = db -> {
            db.find(Counter.class, 1);   // the table check, so MariaDB takes the one-round-trip path from here on
            Counter after = db.update(Counter.class, 1, set(Counter::n, plus(1)));
            db.execute("insert into seen (n) values (?)", after.n());
        };
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                    db.execute("create table seen (n int primary key)");
                })
                .serializable("select n from seen order by n")
                .actor("A", increment).actor("B", increment).build().explore();

        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        assertThat(result.outcomes()).hasSize(1);
        assertThat(result.outcomes().keySet().iterator().next()).contains("1").contains("2");
    }

    @EachDatabase
    void aGuardedDebitNeverOverdrawsInAnySchedule(TestDatabase tdb) {
        Actor debit = db -> {
            db.find(Counter.class, 1);
            db.applyIf(Counter.class, 1, atLeast(Counter::n, 3), set(Counter::n, minus(3)));
        };
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 5)");
                })
                .serializable("select id, n from counter order by id")
                .actor("A", debit).actor("B", debit).build().explore();

        result.assertNoFailures();
        assertThat(result.outcomes()).containsOnlyKeys("[(1, 2)]");
    }
}
