package dev.holdfast;

import dev.holdfast.error.DeadlockException;
import dev.holdfast.error.SerializationFailureException;
import dev.holdfast.error.UniqueViolationException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

class AfterCommitTest {

    @EachDatabase
    void runsOnceAfterTheCommitThatSucceeded(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger attempts = new AtomicInteger();
            db.useTransaction(tx -> {
                tx.execute("insert into item values (?)", attempts.incrementAndGet());
                tx.afterCommit(() -> events.add("sent mail for attempt " + tx.attempt()));
                if (tx.attempt() < 3) {
                    // what the database says when it picks this transaction as a deadlock victim
                    throw new DeadlockException("simulated deadlock on attempt " + tx.attempt(), null);
                }
                events.add("body done");
            });
            assertThat(events).containsExactly("body done", "sent mail for attempt 3");
            assertThat(db.query(rs -> rs.getInt(1), "select id from item")).containsExactly(3);
        }
    }

    @EachDatabase
    void neverRunsAfterARollback(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            AtomicInteger sent = new AtomicInteger();
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.execute("insert into item values (1)");
                tx.afterCommit(sent::incrementAndGet);
                tx.execute("insert into item values (1)");
            })).isInstanceOf(UniqueViolationException.class);
            assertThat(sent.get()).isZero();
        }
    }

    @EachDatabase
    void givesUpAfterTheLastAttemptWithTheConflict(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            AtomicInteger attempts = new AtomicInteger();
            TransactionOptions twice = TransactionOptions.defaults().withRetry(
                    Retry.exponential(2, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2)));
            assertThatThrownBy(() -> db.useTransaction(twice, tx -> {
                attempts.incrementAndGet();
                throw new SerializationFailureException("simulated", null);
            })).isInstanceOf(SerializationFailureException.class)
                    .satisfies(e -> assertThat(e.getSuppressed())   // the SQLite writer adds its hand-off marker too
                            .anySatisfy(s -> assertThat(s).hasMessageContaining("Gave up after 2 attempts")));
            assertThat(attempts.get()).isEqualTo(2);
        }
    }

    /** docs/transactions.md: an action registered in a part that was rolled back never runs (issue 10 item 1). */
    @EachDatabase
    void anActionOfANestedTransactThatThrewAndWasCaughtNeverRuns(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            List<String> sent = new CopyOnWriteArrayList<>();
            db.useTransaction(outer -> {
                outer.execute("insert into item values (1)");
                outer.afterCommit(() -> sent.add("outer"));
                try {
                    db.useTransaction(inner -> {
                        inner.execute("insert into item values (2)");
                        inner.afterCommit(() -> sent.add("undone inner"));
                        throw new IllegalStateException("inner fails");
                    });
                } catch (IllegalStateException expected) {
                    // the inner part and its mail are undone; the outer goes on
                }
                db.useTransaction(inner -> inner.afterCommit(() -> sent.add("kept inner")));
            });
            assertThat(db.query(rs -> rs.getInt(1), "select id from item")).containsExactly(1);
            assertThat(sent).containsExactly("outer", "kept inner");
        }
    }

    @EachDatabase
    void anActionOfASavepointThatHitAUniqueViolationNeverRuns(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table tag (name varchar(20) primary key)");
            db.execute("insert into tag values ('java')");
            List<String> sent = new CopyOnWriteArrayList<>();
            db.useTransaction(tx -> {
                for (String name : new String[] {"sql", "java"}) {
                    try {
                        tx.savepoint(sp -> {
                            sp.afterCommit(() -> sent.add("welcome " + name));
                            return sp.execute("insert into tag values (?)", name);
                        });
                    } catch (UniqueViolationException alreadyThere) {
                        // undone, and so is its mail
                    }
                }
            });
            assertThat(sent).containsExactly("welcome sql");
        }
    }

    /** The transaction committed; a failing action is reported as such, the others still run, nothing is retried. */
    @EachDatabase
    void anActionThatThrowsIsReportedAfterTheCommitAndTheOthersStillRun(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            AtomicInteger attempts = new AtomicInteger();
            List<String> ran = new CopyOnWriteArrayList<>();
            IllegalStateException boom = new IllegalStateException("mail server down");
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                attempts.incrementAndGet();
                tx.execute("insert into item values (1)");
                tx.afterCommit(() -> ran.add("first"));
                tx.afterCommit(() -> {
                    throw boom;
                });
                tx.afterCommit(() -> ran.add("third"));
            })).isInstanceOf(dev.holdfast.error.HoldfastException.class)
                    .hasMessageContaining("committed, but an afterCommit action failed")
                    .hasCause(boom);
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(ran).containsExactly("first", "third");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1);
        }
    }
}
