package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The naive ports do lose writes: two actors are held at the naive code's read-to-write window by a barrier until
 * both have read, so the overlap the seed describes happens every time, not by luck. Where a database makes the naive
 * code safe by accident, the test says so.
 */
class NaiveScenariosLoseTest {

    /** Naive code that reads and writes inside one write transaction: SQLite runs those one at a time. */
    static final Set<String> IN_WRITE_TRANSACTION = Set.of("django-bug-4-state-transition/naive",
            "django-bug-5-payment-total/naive", "django-bug-6-repeatable-read/naive");

    @EachDatabase
    void twoCopiesLoseAWriteWithoutAnyConcurrency(TestDatabase t) {
        try (Database db = Open.database(t)) {
            Scenario s = new TwoCopiesOfOneRow.Naive();
            s.setUp(db);
            s.actors().get(0).body().accept(db);
            assertThatThrownBy(() -> s.check(db)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("foo=1, bar=2").hasMessageContaining("foo was lost");
        }
    }

    @EachDatabase
    void overlappingNaiveActorsLoseAWrite(TestDatabase t) throws Exception {
        try (Database db = Open.database(t)) {
            for (Scenario scenario : Scenarios.all()) {
                if (scenario.safe() || scenario.actors().size() < 2) {
                    continue;
                }
                SeedScenario s = (SeedScenario) scenario;
                s.setUp(db);
                boolean serialisedBySqlite = t.kind() == DatabaseKind.SQLITE && IN_WRITE_TRANSACTION.contains(s.name());
                boolean postgresRetries = t.kind() == DatabaseKind.POSTGRES
                        && s.name().equals("django-bug-6-repeatable-read/naive");
                if (!serialisedBySqlite) {
                    overlapAtTheWindow(s);
                }
                runBothOnce(db, s);
                if (serialisedBySqlite) {
                    s.check(db);   // SQLite's write transactions run one at a time: this naive code is safe there
                } else if (postgresRetries) {
                    // PostgreSQL at REPEATABLE READ: the second write fails with 40001, Holdfast retries, the retry
                    // sees the link and stops. Correct, by the database's doing, not the code's.
                    s.check(db);
                    assertThat(((SnapshotAfterAppLock.Naive) s).retries()).isGreaterThanOrEqualTo(1);
                } else {
                    assertThatThrownBy(() -> s.check(db)).as(s.name()).isInstanceOf(AssertionError.class);
                }
            }
        }
    }

    /** Both actors wait at the naive code's read-to-write window until both have read (first pass only). */
    private static void overlapAtTheWindow(SeedScenario s) {
        CyclicBarrier bothRead = new CyclicBarrier(2);
        AtomicInteger arrivals = new AtomicInteger();
        s.pauseAfterRead(() -> {
            if (arrivals.getAndIncrement() < 2) {
                try {
                    bothRead.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(s.name() + ": the two actors never both reached the window", e);
                }
            }
        });
    }

    private static void runBothOnce(Database db, Scenario s) throws Exception {
        List<Actor> actors = s.actors();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> actors.get(0).body().accept(db));
            Future<?> b = pool.submit(() -> actors.get(1).body().accept(db));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
