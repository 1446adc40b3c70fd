package dev.holdfast.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Issue 10, "Misleading errors": each failure says what it is, in a type the caller can catch. */
class MisleadingErrorsTest {

    @Test
    void aMalformedServerUrlIsCalledMalformedNotAMissingDriver() {
        for (String url : new String[] {
                "jdbc:postgresql://127.0.0.1:notaport/db", "jdbc:mariadb://127.0.0.1:notaport/db"}) {
            assertThatThrownBy(() -> Database.open(url)).as(url)
                    .isInstanceOf(ConnectionFailedException.class)
                    .hasMessageContaining("is malformed")
                    .hasMessageContaining("the port 'notaport' is not a number")
                    .hasMessageNotContaining("add org.xerial");
        }
    }

    @EachDatabase
    void everyCallAfterCloseSaysTheDatabaseIsClosed(TestDatabase t) {
        Database db = Databases.open(t);
        db.execute("create table item (id int primary key)");
        db.close();
        assertThatThrownBy(() -> db.execute("insert into item values (1)"))
                .isInstanceOf(HoldfastException.class).hasMessageStartingWith("This Database is closed");
        assertThatThrownBy(() -> db.queryScalar(Long.class, "select count(*) from item"))
                .isInstanceOf(HoldfastException.class).hasMessageStartingWith("This Database is closed")
                .hasMessageNotContaining("Hikari").hasMessageNotContaining("transaction failed");
        assertThatThrownBy(() -> db.transact(tx -> tx.execute("insert into item values (2)")))
                .isInstanceOf(HoldfastException.class).hasMessageStartingWith("This Database is closed");
        assertThatThrownBy(() -> db.read(tx -> tx.queryScalar(Long.class, "select count(*) from item")))
                .isInstanceOf(HoldfastException.class).hasMessageStartingWith("This Database is closed");
    }

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void valuesThatDoNotFitTheirColumnAreDataExceptions(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key, name varchar(3), qty smallint, due date)");
            assertThatThrownBy(() -> db.execute("insert into item (id, name) values (1, ?)", "too long"))
                    .isInstanceOf(ValueTooLongException.class).isInstanceOf(DataException.class)
                    .hasMessageContaining("too long for its column");
            assertThatThrownBy(() -> db.execute("insert into item (id, qty) values (2, ?)", 1_000_000))
                    .isInstanceOf(NumericOverflowException.class).isInstanceOf(DataException.class);
            assertThatThrownBy(() -> db.execute("insert into item (id, due) values (3, '2026-02-31')"))
                    .isInstanceOf(InvalidDateTimeException.class).isInstanceOf(DataException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isZero();
            db.execute("insert into item values (4, 'ok', 1, ?)", LocalDate.of(2026, 2, 28));
        }
    }

    /**
     * A full disk on SQLite, made with {@code PRAGMA max_page_count} on the writer's connection (SQLite reports a file
     * at its page limit exactly as a full disk: SQLITE_FULL): typed, nothing committed lost, writable again once there
     * is room.
     */
    @EachDatabase({DatabaseKind.SQLITE})
    void aFullDiskIsADiskFullException(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            db.execute("create table item (id int primary key, body blob)");
            db.execute("insert into item values (1, randomblob(1000))");
            long pages = db.queryScalar(Long.class, "pragma page_count");
            // max_page_count belongs to a connection: set it on the writer's, inside a write transaction.
            db.transact(tx -> tx.queryScalar(Long.class, "pragma max_page_count = " + (pages + 2)));
            assertThatThrownBy(() -> db.execute("insert into item values (2, randomblob(100000))"))
                    .isInstanceOf(DiskFullException.class).hasMessageContaining("storage is full");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(1);
            db.transact(tx -> tx.queryScalar(Long.class, "pragma max_page_count = 1000000"));
            db.execute("insert into item values (2, randomblob(100000))");
            assertThat(db.queryScalar(Long.class, "select count(*) from item")).isEqualTo(2);
        }
    }

    /**
     * A thread waiting for a row lock is interrupted: the wait is cancelled at once (not when the lock is granted),
     * the transaction rolls back, the exception is typed and the interrupt flag is kept.
     */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void anInterruptCancelsAWaitForARowLock(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t); Connection holder = t.connect()) {
            db.execute("create table item (id int primary key, n int not null)");
            db.execute("insert into item values (1, 0), (2, 0)");
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("select n from item where id = 1 for update");
            }
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread waiter = new Thread(() -> {
                try {
                    db.useTransaction(tx -> {
                        if (t.kind() == DatabaseKind.MARIADB) {
                            // longer than the join below: the wait must end by the interrupt, not by this timeout
                            tx.execute("set session innodb_lock_wait_timeout = 600");
                        }
                        tx.execute("update item set n = 1 where id = 2");
                        tx.execute("update item set n = 1 where id = 1 /* hf-waits */");   // waits for the holder
                    });
                } catch (Throwable e) {
                    thrown.set(e);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            waiter.start();
            awaitLockWait(t, waiter, thrown);
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(waiter.isAlive()).as("the interrupt ended the wait while the lock was still held").isFalse();
            assertThat(thrown.get()).isInstanceOf(TransactionInterruptedException.class)
                    .hasMessageContaining("interrupted");
            assertThat(flagKept).isTrue();
            holder.rollback();
            assertThat(db.query(rs -> rs.getInt(1), "select n from item order by id")).containsExactly(0, 0);
        }
    }

    /**
     * Waits until another session of the test database waits for a row lock, as the server itself reports. MariaDB's
     * {@code information_schema.innodb_trx} is a cache InnoDB refreshes only when it was last read more than 100 ms
     * ago: polled faster than that it never changes (CI once polled it for 60 s without seeing the wait), so the polls
     * are 200 ms apart.
     */
    private static void awaitLockWait(TestDatabase t, Thread waiter, AtomicReference<Throwable> thrown)
            throws Exception {
        String sql = t.kind() == DatabaseKind.POSTGRES
                ? "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%hf-waits%'"
                        + " and pid <> pg_backend_pid()"
                : "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'"
                        + " and trx_query like '%hf-waits%'";
        try (Connection c = t.connect(); Statement st = c.createStatement()) {
            for (int i = 0; i < 300; i++) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (!waiter.isAlive()) {
                    throw new AssertionError("the waiter ended before it waited for the row lock", thrown.get());
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no session waited for the row lock within 60 s; the waiter is "
                + (waiter.isAlive() ? "alive" : "gone") + ", thrown: " + thrown.get());
    }
}
