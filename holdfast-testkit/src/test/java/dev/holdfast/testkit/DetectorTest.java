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
