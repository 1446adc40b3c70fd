package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every safe scenario under load on each database, and, for every two-actor seed, proof that the load races: the
 * same load through the same harness makes the naive version lose a write, then the safe version loses none.
 *
 * <p>The load is concentrated so that it contends: 8 threads (4 per actor) in lockstep (a barrier before every call),
 * each round's 8 calls on the same row, a fresh row per round (a state transition or a link happens once per row, so
 * a second race on a row proves nothing). The control also holds each round's calls at its read-to-write window until
 * all have read, so it races every round by construction, not by luck. Spread over 1,000 rows, as the catalogue runs by default, the actors would
 * rarely meet and a safe version would pass whether or not it were safe.
 */
class SafeScenariosTest {
    static final int THREADS = 8;
    static final int ROUNDS = 25;
    /** The unconcentrated load for the scenarios that have no two-actor race to control. */
    static final int ITERATIONS = 50;

    /**
     * A hot row has THREADS contenders: a transaction may lose to each of the others in turn (PostgreSQL's 40001 at
     * REPEATABLE READ, MariaDB's deadlocks), so the budget is several times that, not the default 10 attempts.
     */
    static final Retry HOT_ROW_RETRY = Retry.exponential(THREADS * 4, Duration.ofMillis(2), Duration.ofMillis(100));

    /** Naive and safe of each seed whose two actors race on shared rows. */
    static final List<Supplier<SeedScenario[]>> CONTENDED = List.of(
            () -> new SeedScenario[] {new FullRowSave.Naive(), new FullRowSave.Safe()},
            () -> new SeedScenario[] {new LostCounter.Naive(), new LostCounter.Safe()},
            () -> new SeedScenario[] {new DoubleTransition.Naive(), new DoubleTransition.Safe()},
            () -> new SeedScenario[] {new PaymentTotal.Naive(), new PaymentTotal.Safe()},
            () -> new SeedScenario[] {new SnapshotAfterAppLock.Naive(), new SnapshotAfterAppLock.Safe()},
            () -> new SeedScenario[] {new ThreadUpdatesStatus.Naive(), new ThreadUpdatesStatus.Safe()},
            () -> new SeedScenario[] {new LongRunningTask.Naive(), new LongRunningTask.Safe()},
            () -> new SeedScenario[] {new ConfigurationSession.Naive(), new ConfigurationSession.Safe()});

    @EachDatabase
    void eachContendedLoadMakesItsNaiveControlLoseAndTheSafeVersionLoseNothing(TestDatabase t) {
        List<String> failures = new ArrayList<>();
        for (Supplier<SeedScenario[]> pair : CONTENDED) {
            SeedScenario naive = pair.get()[0];
            SeedScenario safe = pair.get()[1];
            // Where the naive bug does not exist on this database (SQLite serialises its write transactions; PostgreSQL
            // at REPEATABLE READ fails bug 6's second write and the retry sees the link), the control is left out on
            // that database only, with the catalogue's own reason; the safe version still runs.
            Optional<String> safeByAccident = ScenarioInterleaver.safeByAccident(naive.name(), t.url());
            if (safeByAccident.isEmpty()) {
                // the control's tables have the safe version's names: a database of its own
                try (TestDatabase controlDb = TestDatabases.fresh(t.kind()); Database db = open(controlDb)) {
                    concentrate(db, naive);
                    everyRoundReadsBeforeAnyWrites(naive);
                    Throwable lost = catchThrowable(() -> ScenarioRunner.runInLockstep(db, naive, THREADS, ROUNDS));
                    assertThat(lost)
                            .as("%s on %s: the load did not race (the control lost nothing)", naive.name(), t.kind())
                            .isInstanceOf(AssertionError.class);
                }
            }
            try (Database db = open(t)) {
                concentrate(db, safe);
                ScenarioRunner.runInLockstep(db, safe, THREADS, ROUNDS);
            } catch (AssertionError | RuntimeException e) {
                failures.add(safe.name() + ": " + e);
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The scenarios without a two-actor race on shared rows keep the catalogue's own load. */
    @EachDatabase
    void theOtherSafeScenariosLoseNothingUnderLoad(TestDatabase t) {
        Set<String> contended = new HashSet<>();
        CONTENDED.forEach(p -> contended.add(p.get()[1].name()));
        List<String> failures = new ArrayList<>();
        int ran = 0;
        try (Database db = Open.database(t)) {
            for (Scenario s : Scenarios.all()) {
                if (!s.safe() || contended.contains(s.name())) {
                    continue;
                }
                s.setUp(db);
                try {
                    ScenarioRunner.run(db, s, THREADS, ITERATIONS);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(s.name() + ": " + e);
                }
                ran++;
            }
        }
        assertThat(ran + CONTENDED.size()).isEqualTo(11);
        assertThat(failures).isEmpty();
    }

    /**
     * The control does not hope for overlap: all THREADS calls of a round wait at the naive code's read-to-write
     * window until every one has read (as {@link NaiveScenariosLoseTest} does with two), so every round races.
     */
    private static void everyRoundReadsBeforeAnyWrites(SeedScenario naive) {
        CyclicBarrier allRead = new CyclicBarrier(THREADS);
        naive.pauseAfterRead(() -> {
            try {
                allRead.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(naive.name() + ": the round's calls never all reached the window", e);
            }
        });
    }

    /** Sets up for the lockstep load: every round's THREADS calls on one row, a fresh row per round. */
    private static void concentrate(Database db, SeedScenario s) {
        int actors = s.actors().size();
        assertThat(THREADS % actors).as("threads per actor must be whole for the rounds to line up").isZero();
        s.concentrate(ROUNDS, THREADS / actors);
        s.setUp(db);
    }

    private static Database open(TestDatabase t) {
        Database.Builder b = Database.builder(t.url()).retry(HOT_ROW_RETRY);
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return b.build();
    }
}
