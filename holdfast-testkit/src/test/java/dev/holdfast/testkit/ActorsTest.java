package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Isolation;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What users meet writing actors: their own exceptions, isolation for JDBC actors, slow Java code, early stops. */
class ActorsTest {

    /** The business code's own exception, as gift-card or transfer code throws it. */
    static final class InsufficientFunds extends RuntimeException {
        InsufficientFunds(long balance) {
            super("balance " + balance + " is too low");
        }
    }

    private static Interleaver.Builder twoWithdrawals(TestDatabase tdb) {
        // SQLite has no FOR UPDATE: its write transactions take the database's one write lock at BEGIN IMMEDIATE
        String read = "select balance from account where id = 1" + (tdb.kind() == DatabaseKind.SQLITE ? "" : " for update");
        Actor withdraw = db -> db.transact(tx -> {
            long balance = tx.queryScalar(Long.class, read);
            if (balance < 60) {
                throw new InsufficientFunds(balance);
            }
            return tx.execute("update account set balance = ? where id = 1", balance - 60);
        });
        return Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table account (id int primary key, balance int not null)");
                    db.execute("insert into account (id, balance) values (1, 100)");
                })
                .actor("A", withdraw).actor("B", withdraw);
    }

    @EachDatabase
    void anActorsOwnExceptionIsItsOutcomeForInvariantsToJudge(TestDatabase tdb) {
        Exploration e = twoWithdrawals(tdb)
                .invariant("one withdrawal, one refusal", (db, ended) -> {
                    long balance = db.queryScalar(Long.class, "select balance from account where id = 1");
                    assertThat(balance).isEqualTo(40);
                    assertThat(ended).hasSize(1);
                    assertThat(ended.values()).allMatch(t -> t instanceof InsufficientFunds);
                })
                .build().explore();

        e.assertNoFailures();
        assertThat(e.gaveUp().runs()).isEqualTo(e.schedules());
        assertThat(e.runs()).allMatch(r -> r.outcome().contains(": InsufficientFunds"));
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void everyActorSucceedsMakesAnActorThatEndedWithAnExceptionAFailure(TestDatabase tdb) {
        Exploration e = twoWithdrawals(tdb).everyActorSucceeds().build().explore();

        assertThat(e.failures()).hasSize(e.schedules());
        assertThat(e.firstFailure().orElseThrow().failure()).contains("every actor must succeed")
                .contains("InsufficientFunds");
        assertThat(e.summary()).contains("gave up in " + e.schedules() + " run(s)");
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void theBuildersIsolationReachesJdbcActors(TestDatabase tdb) {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        JdbcActor readTwice = ds -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    for (int i = 0; i < 2; i++) {
                        try (ResultSet rs = st.executeQuery("select n from counter where id = 1")) {
                            rs.next();
                            seen.add(rs.getInt(1));
                        }
                    }
                }
                c.commit();
            }
        };
        JdbcActor write = ds -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("update counter set n = 1 where id = 1");
            }
        };
        Interleaver.Builder b = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .jdbcActor("R", readTwice).jdbcActor("W", write);

        b.build().run(Schedule.parse("R W R R"));
        assertThat(seen).as("MariaDB's default, REPEATABLE READ: one snapshot").containsExactly(0, 0);

        seen.clear();
        b.isolation(Isolation.READ_COMMITTED).build().run(Schedule.parse("R W R R"));
        assertThat(seen).as("READ COMMITTED, as the builder says: the second read sees W's commit").containsExactly(0, 1);
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void anActorBusyInItsOwnCodeIsNotALockWait(TestDatabase tdb) {
        Actor slowStart = db -> {
            Thread.sleep(1_500);   // an ORM building its metadata on a loaded machine
            db.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1"));
        };
        Exploration e = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", slowStart)
                .finalState("select n from counter")
                .lastResortTimeout(Duration.ofMillis(500))
                .build().explore();

        e.assertNoFailures();
        assertThat(e.outcomes()).containsOnlyKeys("[(1)]");
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void explorationStopsAtTheFirstFailureOrTheTimeBudget(TestDatabase tdb) {
        Actor increment = db -> {
            int n = db.read(tx -> tx.queryScalar(Integer.class, "select n from counter where id = 1"));
            db.transact(tx -> tx.execute("update counter set n = ? where id = 1", n + 1));
        };
        Interleaver.Builder b = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", increment).actor("B", increment)
                .serializable("select n from counter");
        Exploration all = b.build().explore();

        Exploration first = b.stopAtFirstFailure().build().explore();
        assertThat(first.complete()).isFalse();
        assertThat(first.stoppedEarly()).isEqualTo("stopped at the first failure");
        assertThat(first.runs().get(first.schedules() - 1).failed()).isTrue();
        assertThat(first.failures()).hasSize(1);
        assertThat(first.schedules()).isLessThan(all.schedules());

        Exploration budget = b.timeBudget(Duration.ofNanos(1)).build().explore();
        assertThat(budget.schedules()).isEqualTo(1);
        assertThat(budget.stoppedEarly()).isEqualTo("stopped at the time budget");
    }
}
