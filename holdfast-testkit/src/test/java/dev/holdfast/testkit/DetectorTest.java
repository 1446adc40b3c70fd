package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waits the blocked-step detector must see from the database itself — named locks, safe snapshots — and a wait it
 * must not report: a transaction that a past deadlock rolled back. Every interleaver here has a last-resort timeout far
 * longer than the test, so a step found waiting was reported by the database, not timed out.
 */
class DetectorTest {

    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aWaitOnANamedLockIsSeenFromTheDatabase(TestDatabase tdb) {
        Actor locked = db -> db.transact(tx -> {
            tx.lock("stock:1");
            return tx.execute("update item set qty = qty + 1 where id = 1");
        });
        Run run = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table item (id int primary key, qty int not null)");
                    db.execute("insert into item (id, qty) values (1, 0)");
                })
                .actor("A", locked).actor("B", locked)
                .finalState("select qty from item")
                .lastResortTimeout(Duration.ofMinutes(10))
                .build()
                .run(Schedule.parse("A B A A"));   // A: lock, B: lock (waits), A: update, commit

        assertThat(run.failed()).as(run.report()).isFalse();
        Step bLock = run.trace().steps().get(1);
        assertThat(bLock.actor()).isEqualTo("B");
        assertThat(bLock.waited()).as(run.report()).isEqualTo(Step.Wait.LOCK);
        // B went on right after A let go: A's COMMIT on PostgreSQL, A's RELEASE_LOCK after it on MariaDB
        Step released = run.trace().steps().get(bLock.resumedAfter() - 1);
        assertThat(released.actor()).isEqualTo("A");
        assertThat(released.sql().toLowerCase()).containsAnyOf("commit", "release_lock");
        assertThat(run.trace().steps().subList(bLock.resumedAfter(), run.trace().steps().size()))
                .noneMatch(s -> s.actor().equals("A"));
        assertThat(run.outcome()).isEqualTo("[(2)]");
        assertThat(run.trace().steps()).noneMatch(s -> s.waited() == Step.Wait.TIMEOUT);
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void aDeferrableTransactionWaitingForASafeSnapshotIsSeenAsWaiting(TestDatabase tdb) {
        JdbcActor writer = ds -> {
            try (Connection c = ds.getConnection()) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("update item set qty = qty + 1 where id = 1");
                }
                c.commit();
            }
        };
        JdbcActor reporter = ds -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("set transaction isolation level serializable, read only, deferrable");
                    try (ResultSet rs = st.executeQuery("select qty from item where id = 1")) {
                        rs.next();
                        rs.getInt(1);
                    }
                }
                c.commit();
            }
        };
        Run run = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table item (id int primary key, qty int not null)");
                    db.execute("insert into item (id, qty) values (1, 0)");
                })
                .jdbcActor("W", writer).jdbcActor("R", reporter)
                .lastResortTimeout(Duration.ofMinutes(10))
                .build()
                .run(Schedule.parse("W R R W R"));   // R's first read waits until W's serializable write commits

        assertThat(run.failed()).as(run.report()).isFalse();
        Step read = run.trace().steps().get(2);
        assertThat(read.sql()).startsWith("select qty");
        assertThat(read.waited()).as(run.report()).isEqualTo(Step.Wait.LOCK);
        assertThat(read.resumedAfter()).isEqualTo(4);
        assertThat(read.result()).isEqualTo("(0)");   // W changed nothing R read: R's first snapshot was safe
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void aPastDeadlockInTheInnoDbStatusIsNotAWaitNow(TestDatabase tdb) throws Exception {
        Target target = Target.of(tdb);
        try (Connection setup = target.open(); Statement st = setup.createStatement()) {
            st.execute("create table item (id int primary key, qty int not null)");
            st.execute("insert into item (id, qty) values (1, 0), (2, 0)");
        }
        try (Connection a = target.open(); Connection b = target.open();
             BlockedStepDetector detector = BlockedStepDetector.forTarget(target)) {
            long idA = id(a);
            long idB = id(b);
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            update(a, 1);
            update(b, 2);
            CompletableFuture<Void> aWaits = CompletableFuture.runAsync(() -> {
                try {
                    update(a, 2);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!detector.isWaiting(idA)) {
                Thread.sleep(5);   // until the database reports A waiting: a latch on the server's own state
            }
            try {
                update(b, 1);   // closes the cycle: InnoDB rolls one of them back at once
            } catch (SQLException deadlock) {
                assertThat(deadlock.getErrorCode()).isEqualTo(1213);
            }
            try {
                aWaits.get(5, TimeUnit.MINUTES);
            } catch (Exception deadlock) {
                // A was the victim
            }
            a.rollback();
            b.rollback();

            String status;
            try (Statement st = a.createStatement(); ResultSet rs = st.executeQuery("SHOW ENGINE INNODB STATUS")) {
                rs.next();
                status = rs.getString("Status");
            }
            assertThat(status).contains("LATEST DETECTED DEADLOCK");
            assertThat(detector.isWaiting(idA)).as(status).isFalse();
            assertThat(detector.isWaiting(idB)).as(status).isFalse();
        }
    }

    /**
     * MariaDB 10.11's TRANSACTIONS section, copied from a real lock wait (thread 68 waits for thread 67's row lock),
     * and the same entry as InnoDB prints it in the moment after the holder committed: the lock is granted (no
     * {@code TRX HAS BEEN WAITING} block) but the waiting thread has not woken up yet, so {@code LOCK WAIT} is still
     * there. Only the first is a wait; taking the second for one made the explorer's replays diverge.
     */
    @Test
    void aGrantedLockWhoseThreadHasNotWokenUpIsNotAWait() {
        String waiting = """
                ------------
                TRANSACTIONS
                ------------
                Trx id counter 54201
                Purge done for trx's n:o < 54199 undo n:o < 0 state: running but idle
                History list length 0
                LIST OF TRANSACTIONS FOR EACH SESSION:
                ---TRANSACTION 54200, ACTIVE 1 sec starting index read
                mysql tables in use 1, locked 1
                LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s)
                MariaDB thread id 68, OS thread handle 139824076740288, query id 54336 127.0.0.1 root Statistics
                select * from probe.t where id=1 for update
                ------- TRX HAS BEEN WAITING 1005370 us FOR THIS LOCK TO BE GRANTED:
                RECORD LOCKS space id 21 page no 3 n bits 320 index PRIMARY of table `probe`.`t` trx id 54200 \
                lock_mode X locks rec but not gap waiting
                Record lock, heap no 2 PHYSICAL RECORD: n_fields 3; compact format; info bits 0
                 0: len 4; hex 80000001; asc     ;;

                ------------------
                ---TRANSACTION 54199, ACTIVE 2 sec
                2 lock struct(s), heap size 1128, 1 row lock(s)
                MariaDB thread id 67, OS thread handle 139824077047488, query id 54334 127.0.0.1 root User sleep
                select sleep(4)
                --------
                FILE I/O
                --------
                """;
        assertThat(InnoDbStatus.waitingThreads(waiting)).containsExactly(68L);
        String granted = waiting.substring(0, waiting.indexOf("------- TRX HAS BEEN WAITING"))
                + waiting.substring(waiting.indexOf("------------------\n---TRANSACTION 54199"));
        assertThat(granted).contains("LOCK WAIT 2 lock struct(s)");
        assertThat(InnoDbStatus.waitingThreads(granted)).isEmpty();
    }

    private static void update(Connection c, int id) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("update item set qty = qty + 1 where id = " + id);
        }
    }

    private static long id(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select connection_id()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
