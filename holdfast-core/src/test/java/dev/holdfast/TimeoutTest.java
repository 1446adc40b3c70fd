package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.QueryTimeoutException;
import dev.holdfast.error.SerializationFailureException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A transaction's time limit is enforced on every database: it never commits late, and it frees what it held. */
class TimeoutTest {
    private static final TransactionOptions SHORT = TransactionOptions.defaults().withTimeout(Duration.ofMillis(300));

    /** Issue 10 item 9: a body that outruns its limit in its own code is rolled back, not committed late. */
    @EachDatabase
    void aBodyThatOverranItsTimeoutIsRolledBackNotCommitted(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> db.useTransaction(SHORT, tx -> {
                attempts.incrementAndGet();
                tx.execute("insert into item values (1)");
                Thread.sleep(600);   // past the 300 ms limit: a slow call to another service
            })).isInstanceOf(TransactionTimeoutException.class).hasMessageContaining("nothing of it is committed");
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
            db.execute("insert into item values (2)");   // the SQLite writer is free again
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1);
        }
    }

    /**
     * Issue 10 item 9: a statement that would run for ever is interrupted at the deadline (sqlite-jdbc ignores the
     * query timeout; a progress handler stops it), the transaction rolls back and the writer serves the next one.
     */
    @EachDatabase({DatabaseKind.SQLITE})
    void aRunawayStatementOnSqliteIsInterruptedAtTheDeadlineAndFreesTheWriter(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            db.execute("create table sink (n int)");
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    db.useTransaction(SHORT, tx -> {
                        tx.execute("insert into item values (1)");
                        // A recursive query of 200 million steps feeding a write: seconds of work for SQLite.
                        tx.execute("""
                                insert into sink
                                with recursive r(i) as (select 1 union all select i + 1 from r where i < 200000000)
                                select i from r where i < 0""");
                    });
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertThat(failure.get(120, TimeUnit.SECONDS)).isInstanceOf(TransactionTimeoutException.class)
                    .hasMessageContaining("nothing of it is committed")
                    .as("the statement itself was stopped, not only refused at COMMIT")
                    .hasCauseInstanceOf(QueryTimeoutException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
            db.execute("insert into item values (2)");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1);
        }
    }

    /** The limit covers every attempt and backoff: a transaction that keeps conflicting stops when time is up. */
    @EachDatabase
    void retriesStopWhenTheTimeIsUp(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            AtomicInteger attempts = new AtomicInteger();
            TransactionOptions options = SHORT.withRetry(
                    Retry.exponential(1000, Duration.ofMillis(50), Duration.ofMillis(50)));
            assertThatThrownBy(() -> db.useTransaction(options, tx -> {
                attempts.incrementAndGet();
                throw new SerializationFailureException("simulated conflict " + tx.attempt(), null);
            })).isInstanceOf(TransactionTimeoutException.class)   // between attempts, or (SQLite) waiting in the queue
                    .hasMessageContaining("nothing of it is committed");
            assertThat(attempts.get()).isGreaterThan(1).isLessThan(1000);
        }
    }

    /**
     * A statement cancelled by the server's own statement limit is a {@link QueryTimeoutException}, not retried; one
     * cancelled by the transaction's limit is a {@link TransactionTimeoutException}. Both wait on a row lock held by
     * another connection, so neither can finish in time.
     */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aStatementCancelledForRunningTooLongIsTyped(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t); Connection holder = t.connect()) {
            db.execute("create table item (id int primary key, n int not null)");
            db.execute("insert into item values (1, 0)");
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("select n from item where id = 1 for update");
            }
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                attempts.incrementAndGet();
                if (t.kind() == DatabaseKind.POSTGRES) {
                    tx.execute("set local statement_timeout = 200");
                    tx.execute("update item set n = 1 where id = 1");
                } else {
                    tx.execute("set statement max_statement_time = 0.2 for update item set n = 1 where id = 1");
                }
            })).isInstanceOf(QueryTimeoutException.class);
            assertThat(attempts.get()).as("not retried").isEqualTo(1);

            assertThatThrownBy(() -> db.useTransaction(TransactionOptions.defaults().withTimeout(Duration.ofSeconds(1)),
                    tx -> tx.execute("update item set n = 2 where id = 1")))
                    .isInstanceOf(TransactionTimeoutException.class)
                    .hasCauseInstanceOf(QueryTimeoutException.class);
            holder.rollback();
            assertThat(db.queryScalar(Integer.class, "select n from item where id = 1")).isZero();
        }
    }

    /** A Transaction belongs to the thread running its body, and ends with it. */
    @EachDatabase
    void aTransactionUsedFromAnotherThreadOrAfterItsBodyIsRefused(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key)");
            Transaction[] kept = new Transaction[1];
            db.useTransaction(tx -> {
                kept[0] = tx;
                CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                    try {
                        tx.execute("insert into item values (1)");
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                assertThat(other.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("belongs to the thread running its body");
                tx.execute("insert into item values (2)");
            });
            assertThatThrownBy(() -> kept[0].execute("insert into item values (3)"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("has ended");
            assertThat(db.query(rs -> rs.getInt(1), "select id from item")).containsExactly(2);
        }
    }
}
