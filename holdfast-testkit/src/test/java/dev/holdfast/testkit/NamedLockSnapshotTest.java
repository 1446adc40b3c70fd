package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Isolation;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

/**
 * docs/records.md's warning, shown by the explorer: at REPEATABLE READ on PostgreSQL, {@code tx.lock} as the first
 * statement fixes the transaction's snapshot before the lock is granted, so a check after the lock misses the write of
 * the actor that held it. On MariaDB {@code GET_LOCK} reads no table and the snapshot starts at the first read after it.
 */
class NamedLockSnapshotTest {

    private static Exploration bookSeatSeven(TestDatabase tdb) {
        Actor book = db -> db.transact(tx -> {
            tx.lock("seat:7");
            long taken = tx.queryScalar(Long.class, "select count(*) from booking where seat = 7");
            return taken == 0 ? tx.execute("insert into booking (seat) values (7)") : 0;
        });
        return Interleaver.on(tdb)
                .setup(db -> db.execute("create table booking (seat int not null)"))
                .actor("A", book).actor("B", book)
                .isolation(Isolation.REPEATABLE_READ)
                .everyActorSucceeds()
                .invariant("seat 7 is booked once", db -> {
                    long n = db.queryScalar(Long.class, "select count(*) from booking where seat = 7");
                    if (n != 1) {
                        throw new AssertionError("seat 7 is booked " + n + " times");
                    }
                })
                .build().explore();
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void onPostgresTheLockAsFirstStatementFixesTheSnapshotTooEarly(TestDatabase tdb) {
        Exploration e = bookSeatSeven(tdb);

        Run doubleBooked = e.firstFailure().orElseThrow(() -> new AssertionError(e.summary()));
        assertThat(doubleBooked.failure()).contains("booked 2 times");
        Step waitedForTheLock = doubleBooked.trace().steps().stream()
                .filter(s -> s.waited() == Step.Wait.LOCK).findFirst().orElseThrow();
        assertThat(waitedForTheLock.sql()).contains("pg_advisory_xact_lock");
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void onMariaDbTheSnapshotStartsAfterTheLock(TestDatabase tdb) {
        Exploration e = bookSeatSeven(tdb);

        e.assertNoFailures();
        assertThat(e.complete()).isTrue();
        assertThat(e.runs()).anyMatch(r -> r.trace().anyBlocked());
    }
}
