package dev.holdfast.examples;

import dev.holdfast.testkit.Interleaver;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a {@link Scenario} through the interleaving explorer ({@link Interleaver}): the scenario's setup is the
 * interleaver's setup, each of its actors is an interleaver actor that runs once per schedule, and its
 * {@link Scenario#check check} is the invariant.
 *
 * <p>A scenario instance remembers what its actors acknowledged, so each schedule needs a fresh one. The interleaver
 * runs its setup before every schedule, on an emptied database; the setup made here first makes a new scenario from
 * the supplier, and the actors and the invariant of that schedule use that instance.
 *
 * <pre>{@code
 * Exploration e = ScenarioInterleaver.on(Interleaver.on(testDatabase), LostCounter.Naive::new)
 *         .maxSchedules(50)
 *         .build()
 *         .explore();
 * System.out.println(e.firstFailure().orElseThrow().report());
 * }</pre>
 */
public final class ScenarioInterleaver {
    private ScenarioInterleaver() {
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
        builder.setup(db -> current.start(fresh.get()).setUp(db));
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
