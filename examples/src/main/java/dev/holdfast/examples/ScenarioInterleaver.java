package dev.holdfast.examples;

import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.Run;
import dev.holdfast.testkit.Strategy;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs a {@link Scenario} through the interleaving explorer ({@link Interleaver}): the scenario's setup is the
 * interleaver's setup, each of its actors is an interleaver actor that runs once per schedule, and its
 * {@link Scenario#check check} is the invariant.
 *
 * <p>A scenario instance remembers what its actors acknowledged, so each schedule needs a fresh one. The setup made
 * here first makes a new scenario from the supplier, and the actors and the invariant of that schedule use that
 * instance; so it asks the interleaver to run it before every schedule, on an emptied database
 * ({@link Interleaver.Builder#rerunSetup()}), rather than once with the tables restored from a snapshot.
 *
 * <pre>{@code
 * Exploration e = ScenarioInterleaver.on(Interleaver.on(testDatabase), LostCounter.Naive::new)
 *         .maxSchedules(50)
 *         .build()
 *         .explore();
 * System.out.println(e.firstFailure().orElseThrow().report());
 * }</pre>
 *
 * <p>{@link #explore} runs a scenario of the catalogue with the catalogue's bounds, and {@link #safeByAccident} says
 * where a naive scenario's bug cannot happen, and why.
 */
public final class ScenarioInterleaver {
    /**
     * The most schedules one exploration of the catalogue runs. Every scenario's exhaustive exploration finishes well
     * within it (the largest, Django bug 5's naive version on PostgreSQL and MariaDB, has 182 schedules).
     */
    public static final int MAX_SCHEDULES = 1_000;

    /** The most steps one schedule of the catalogue may take (a scenario's two actors take at most 14, retries included). */
    public static final int MAX_STEPS = 60;

    /** Naive code that reads and writes inside one write transaction: SQLite runs those one at a time. */
    private static final Set<String> READS_AND_WRITES_IN_ONE_WRITE_TRANSACTION = Set.of(
            "django-bug-4-state-transition/naive", "django-bug-5-payment-total/naive",
            "django-bug-6-repeatable-read/naive");

    private ScenarioInterleaver() {
    }

    /**
     * Explores a scenario of the catalogue ({@link Scenarios#named}) exhaustively, each actor running once per
     * schedule, within {@link #MAX_SCHEDULES} schedules of {@link #MAX_STEPS} steps; {@link Exploration#complete()}
     * says whether every schedule was run.
     *
     * <pre>{@code
     * Exploration e = ScenarioInterleaver.explore(Interleaver.on(url, user, password), "django-bug-3-counter/naive");
     * }</pre>
     *
     * @throws IllegalArgumentException when the catalogue has no scenario of that name
     */
    public static Exploration explore(Interleaver.Builder builder, String scenarioName) {
        Scenarios.named(scenarioName);   // fails with the catalogue's names
        return on(builder, () -> Scenarios.named(scenarioName))
                .strategy(Strategy.exhaustive())
                .maxSchedules(MAX_SCHEDULES)
                .maxSteps(MAX_STEPS)
                .build()
                .explore();
    }

    /**
     * The number (1-based, in the order explored) of the first schedule that failed, or empty when none did: how many
     * schedules the explorer ran until it found the bug.
     */
    public static OptionalInt firstFailureNumber(Exploration exploration) {
        List<Run> runs = exploration.runs();
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).failed()) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Why a naive scenario's bug cannot happen on the database of this JDBC URL, or empty when it can. The explorer
     * finds no failing schedule there, and that is the database's doing, not the code's:
     * <ul>
     *   <li>SQLite runs write transactions one at a time (Holdfast begins them with {@code BEGIN IMMEDIATE}), so naive
     *       code that reads and writes inside one write transaction (Django bugs 4, 5 and 6) cannot be overtaken;</li>
     *   <li>PostgreSQL at REPEATABLE READ answers Django bug 6's second update with a serialization failure, and
     *       Holdfast's retry then sees the link.</li>
     * </ul>
     */
    public static Optional<String> safeByAccident(String scenarioName, String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:sqlite:") && READS_AND_WRITES_IN_ONE_WRITE_TRANSACTION.contains(scenarioName)) {
            return Optional.of("SQLite runs write transactions one at a time (Holdfast begins them with BEGIN "
                    + "IMMEDIATE), and this naive code reads and writes inside one write transaction: no other writer "
                    + "can come between its read and its write. The same code loses on PostgreSQL or MariaDB");
        }
        if (url.startsWith("jdbc:postgresql:") && scenarioName.equals("django-bug-6-repeatable-read/naive")) {
            return Optional.of("PostgreSQL at REPEATABLE READ answers the second transaction's update of a row "
                    + "changed since its snapshot with a serialization failure (40001); Holdfast retries the "
                    + "transaction, which then sees the link and stops. Correct by the database's doing, not the "
                    + "code's: MariaDB at REPEATABLE READ loses");
        }
        return Optional.empty();
    }

    /**
     * Adds the scenario's setup, actors (named as the scenario names them) and check to an interleaver under
     * construction, and returns it for the strategy and bounds.
     *
     * @param builder from {@code Interleaver.on(...)}, with no setup, actors or invariants yet
     * @param fresh   makes a new scenario instance; called once here to learn the actors' names, then once per
     *                schedule
     */
    public static Interleaver.Builder on(Interleaver.Builder builder, Supplier<? extends Scenario> fresh) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(fresh, "fresh");
        Scenario probe = fresh.get();
        PerSchedule current = new PerSchedule(probe.name());
        // The setup makes the schedule's scenario instance too, and an instance remembers what its setup made (task
        // ids, draft ids): it must run before every schedule, not once with its tables restored from a snapshot.
        builder.setup(db -> current.start(fresh.get()).setUp(db)).rerunSetup();
        List<Actor> actors = probe.actors();
        for (int i = 0; i < actors.size(); i++) {
            int index = i;
            builder.actor(actors.get(i).name(), db -> current.actor(index).body().accept(db));
        }
        return builder.invariant(probe.name(), db -> current.scenario().check(db));
    }

    /** The scenario instance of the schedule being run, and its actors, made when the setup runs. */
    private static final class PerSchedule {
        private final String name;
        private volatile Scenario scenario;
        private volatile List<Actor> actors;

        PerSchedule(String name) {
            this.name = name;
        }

        Scenario start(Scenario s) {
            if (!s.name().equals(name)) {
                throw new IllegalStateException("The scenario supplier made " + s.name() + " after " + name
                        + "; it must make the same scenario every time");
            }
            this.actors = s.actors();
            this.scenario = s;
            return s;
        }

        Scenario scenario() {
            Scenario s = scenario;
            if (s == null) {
                throw new IllegalStateException(name + ": no schedule has been set up yet");
            }
            return s;
        }

        Actor actor(int index) {
            scenario();
            return actors.get(index);
        }
    }
}
