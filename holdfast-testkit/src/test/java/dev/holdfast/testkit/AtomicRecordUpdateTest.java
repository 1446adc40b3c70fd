package dev.holdfast.testkit;

import static dev.holdfast.record.Condition.atLeast;
import static dev.holdfast.record.Update.minus;
import static dev.holdfast.record.Update.plus;
import static dev.holdfast.record.Update.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/**
 * The record API's atomic and guarded updates through every schedule of two actors. On MariaDB
 * {@code db.update(Type, id, set(..., plus(1)))} is one compound statement: an autocommit UPDATE that captures the new
 * row into session variables, then a SELECT of them (issue 18): each actor must read back exactly the row it wrote,
 * whatever the other did around it. Each actor records what it was told in a table whose key refuses a repeat.
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

    @Table("vcounter")
    record Versioned(@Id Integer id, int n, @Version int version) {
    }

    /**
     * Optimistic writes of a snapshot, then an update of a row that does not exist, in every schedule of two actors.
     * On MariaDB each write is one compound statement whose SELECT reads the session variables the UPDATE set: a
     * stale snapshot must be refused (not read back as the row the other actor wrote), and the update of a missing
     * row must say so (not hand back this session's previous row).
     */
    @EachDatabase
    void optimisticWritesAreRefusedOrReadBackExactlyInEverySchedule(TestDatabase tdb) {
        Actor bump = db -> {
            Versioned s = db.get(Versioned.class, 1);
            try {
                Versioned after = db.update(new Versioned(1, s.n() + 1, s.version()));
                db.execute("insert into seen (n, version) values (?, ?)", after.n(), after.version());
            } catch (StaleWriteException refused) {
                db.execute("insert into refused (n) values (?)", s.n());
            }
            try {
                db.update(Versioned.class, 2, set(Versioned::n, plus(1)));
                db.execute("insert into seen (n, version) values (?, ?)", -1, -1);   // a row that is not there
            } catch (NotFoundException expected) {
                // the row does not exist
            }
        };
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table vcounter (id int primary key, n int not null, version int not null)");
                    db.execute("insert into vcounter (id, n, version) values (1, 0, 0)");
                    db.execute("create table seen (n int primary key, version int not null)");
                    db.execute("create table refused (n int not null)");
                })
                .finalState("select c.n, c.version, (select count(*) from seen s where s.n = s.version and s.n > 0),"
                        + " (select count(*) from seen s where s.n <> s.version or s.n < 1), (select count(*) from"
                        + " refused) from vcounter c")
                .actor("A", bump).actor("B", bump).build().explore();

        result.assertNoFailures();
        assertThat(result.complete()).isTrue();
        // both wrote one after the other, or one was refused because the other wrote first; never a mis-read row
        assertThat(result.outcomes().keySet()).isSubsetOf("[(2, 2, 2, 0, 0)]", "[(1, 1, 1, 0, 1)]");
        assertThat(result.outcomes().keySet()).contains("[(1, 1, 1, 0, 1)]");
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
