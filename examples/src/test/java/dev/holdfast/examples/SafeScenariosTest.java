package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every safe scenario under load on each database, and, for every two-actor seed, proof that the load races: the
 * same load through the same harness makes the naive version lose a write, then the safe version loses none.
 *
 * <p>The load is concentrated so that it contends: 8 threads (4 per actor) in lockstep (a barrier before every call),
 * each round's 8 calls on the same row, a fresh row per round (a state transition or a link happens once per row, so
 * a second race on a row proves nothing). Spread over 1,000 rows, as the catalogue runs by default, the actors would
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
            Optional<String> noBugHere = whyTheNaiveVersionCannotLose(t.kind(), naive.name());
            if (noBugHere.isEmpty()) {
                // the control's tables have the safe version's names: a database of its own
                try (TestDatabase controlDb = TestDatabases.fresh(t.kind()); Database db = open(controlDb)) {
                    concentrate(db, naive);
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
     * Where a naive version's bug does not exist, the same knowledge {@link NaiveScenariosLoseTest} encodes: its
     * control is left out on that database only (the safe version still runs).
     */
    static Optional<String> whyTheNaiveVersionCannotLose(DatabaseKind kind, String naiveName) {
        if (kind == DatabaseKind.SQLITE && NaiveScenariosLoseTest.IN_WRITE_TRANSACTION.contains(naiveName)) {
            return Optional.of("it reads and writes inside one write transaction, and SQLite runs those one at a time");
        }
        if (kind == DatabaseKind.POSTGRES && naiveName.equals("django-bug-6-repeatable-read/naive")) {
            return Optional.of("PostgreSQL at REPEATABLE READ fails the second write (40001); the retry sees the link");
        }
        return Optional.empty();
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
