package dev.holdfast.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an exploration found: every run, the distinct outcomes and the failures.
 *
 * <pre>{@code
 * Exploration result = interleaver.explore();
 * result.assertNoFailures();                       // in a test of the safe version
 * Run bad = result.firstFailure().orElseThrow();   // in a test that expects the bug to be found
 * }</pre>
 *
 * @param strategy   how schedules were chosen, e.g. {@code exhaustive} or {@code pct(seed=7, depth=3)}
 * @param runs       every run, in the order explored
 * @param complete   true when an exhaustive exploration covered every schedule within the bounds
 * @param elapsedNanos wall-clock time of the whole exploration, state resets and oracles included
 * @param stoppedEarly why the exploration ended before its bound ({@link Interleaver.Builder#stopAtFirstFailure()},
 *                     {@link Interleaver.Builder#timeBudget}), or {@code null}
 */
public record Exploration(String strategy, List<Run> runs, boolean complete, long elapsedNanos, String stoppedEarly) {

    public Exploration {
        runs = List.copyOf(runs);
    }

    /** The number of schedules run. */
    public int schedules() {
        return runs.size();
    }

    /** Each distinct outcome with how many schedules reached it, in the order first seen. */
    public Map<String, Integer> outcomes() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Run r : runs) {
            counts.merge(r.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * How many actors ended with an exception (gave up after a conflict, or threw their own) over all runs, and in
     * how many runs. A safe version that "passes" because its actors gave up proves nothing: look here, or build
     * with {@link Interleaver.Builder#everyActorSucceeds()}.
     */
    public GaveUp gaveUp() {
        int actors = 0;
        int inRuns = 0;
        Map<String, Integer> byActor = new LinkedHashMap<>();
        for (Run r : runs) {
            actors += r.errors().size();
            inRuns += r.errors().isEmpty() ? 0 : 1;
            r.errors().keySet().stream().sorted().forEach(a -> byActor.merge(a, 1, Integer::sum));
        }
        return new GaveUp(actors, inRuns, byActor);
    }

    /**
     * Actors that ended with an exception, counted over an exploration.
     *
     * @param actors  actor endings with an exception, summed over the runs
     * @param runs    runs with at least one
     * @param byActor for each actor that ever did, in how many runs
     */
    public record GaveUp(int actors, int runs, Map<String, Integer> byActor) {
        public GaveUp {
            byActor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byActor));
        }

        @Override
        public String toString() {
            return actors == 0 ? "no actor gave up" : actors + " actor(s) gave up in " + runs + " run(s) " + byActor;
        }
    }

    /** The runs that failed an oracle. */
    public List<Run> failures() {
        return runs.stream().filter(Run::failed).toList();
    }

    /** The first failing run, the shortest to read when the exploration is exhaustive. */
    public Optional<Run> firstFailure() {
        return runs.stream().filter(Run::failed).findFirst();
    }

    /**
     * Throws an {@link AssertionError} with the first failing run's report (schedule and swimlane) when any run
     * failed.
     */
    public void assertNoFailures() {
        Optional<Run> first = firstFailure();
        if (first.isPresent()) {
            throw new AssertionError(failures().size() + " of " + schedules() + " schedules failed (" + strategy
                    + "). The first:\n" + first.get().report());
        }
    }

    /** A summary: schedules, time, outcomes and failures. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(schedules()).append(" schedules (").append(strategy).append(complete ? ", complete" : "")
                .append(stoppedEarly == null ? "" : ", " + stoppedEarly)
                .append(") in ").append(elapsedNanos / 1_000_000).append(" ms; ").append(failures().size())
                .append(" failed; ").append(gaveUp()).append('\n');
        outcomes().forEach((o, n) -> s.append("  ").append(n).append(" × ").append(o).append('\n'));
        return s.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
