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
}
