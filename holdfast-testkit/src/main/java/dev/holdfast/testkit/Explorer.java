package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses the schedules of an exploration. Exhaustive: depth first over the choice points, re-running from a fresh
 * state for each branch and replaying the prefix (the scheduler is deterministic, so a prefix leads to the same choice
 * point). Random and PCT: a chooser per run, seeded from the strategy's seed and the run's number.
 */
final class Explorer {
    private final Harness harness;
    private final List<String> names;
    private final int maxSchedules;
    private final boolean stopAtFirstFailure;
    private final long deadlineNanos;

    /** @param deadlineNanos a {@link System#nanoTime()} after which no new run starts */
    Explorer(Harness harness, List<String> names, int maxSchedules, boolean stopAtFirstFailure, long deadlineNanos) {
        this.harness = harness;
        this.names = names;
        this.maxSchedules = maxSchedules;
        this.stopAtFirstFailure = stopAtFirstFailure;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * The runs, whether the exploration covered everything it set out to, and why it stopped before that
     * ({@code null} when it did not).
     */
    record Outcome(List<Run> runs, boolean complete, String stoppedEarly) {
    }

    /** Why the exploration stops after this run before its bound, or {@code null} to go on. */
    private String stopAfter(Run run) {
        if (stopAtFirstFailure && run.failed()) {
            return "stopped at the first failure";
        }
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            return "stopped at the time budget";
        }
        return null;
    }

    Outcome explore(Strategy strategy) {
        return switch (strategy.kind) {
            case EXHAUSTIVE -> exhaustive();
            case RANDOM -> sampled(strategy, false);
            case PCT -> sampled(strategy, true);
        };
    }

    private Outcome exhaustive() {
        List<Run> runs = new ArrayList<>();
        List<String> prefix = List.of();
        while (runs.size() < maxSchedules) {
            List<List<String>> readySets = new ArrayList<>();
            List<String> chosen = new ArrayList<>();
            List<String> replay = prefix;
            Run run = harness.run((ready, step) -> {
                String c;
                if (step < replay.size()) {
                    c = replay.get(step);
                    if (!ready.contains(c)) {
                        throw new IllegalStateException("Replaying the schedule prefix " + replay + " reached step "
                                + (step + 1) + " with " + ready + " ready, not " + c + ": the actors do not behave "
                                + "the same way twice (do they depend on time, randomness or state outside the "
                                + "database?)");
                    }
                } else {
                    c = ready.get(0);
                }
                readySets.add(ready);
                chosen.add(c);
                return c;
            }, names, true);
            runs.add(run);
            prefix = next(readySets, chosen);
            if (prefix == null) {
                return new Outcome(runs, true, null);
            }
            String stop = stopAfter(run);
            if (stop != null) {
                return new Outcome(runs, false, stop);
            }
        }
        return new Outcome(runs, false, null);
    }

    /** The prefix of the next schedule in depth-first order, or {@code null} when every branch was taken. */
    private static List<String> next(List<List<String>> readySets, List<String> chosen) {
        for (int i = chosen.size() - 1; i >= 0; i--) {
            List<String> ready = readySets.get(i);
            int at = ready.indexOf(chosen.get(i));
            if (at + 1 < ready.size()) {
                List<String> prefix = new ArrayList<>(chosen.subList(0, i));
                prefix.add(ready.get(at + 1));
                return prefix;
            }
        }
        return null;
    }

    private Outcome sampled(Strategy strategy, boolean pct) {
        List<Run> runs = new ArrayList<>();
        int estimatedSteps = 0;
        int count = Math.min(strategy.schedules, maxSchedules);
        for (int i = 0; i < count; i++) {
            Random random = new Random(strategy.seed * 1_000_003L + i);
            Chooser chooser = pct ? pct(random, strategy.depth, Math.max(estimatedSteps, names.size()))
                    : (ready, step) -> ready.get(random.nextInt(ready.size()));
            Run run = harness.run(chooser, names, true);
            estimatedSteps = Math.max(estimatedSteps, run.schedule().size());
            runs.add(run);
            String stop = stopAfter(run);
            if (stop != null) {
                return new Outcome(runs, false, stop);
            }
        }
        return new Outcome(runs, false, null);
    }

    /**
     * PCT: random distinct priorities above {@code depth}; at each of {@code depth - 1} random change points the
     * actor about to run drops to a priority below all the initial ones.
     */
    private Chooser pct(Random random, int depth, int steps) {
        List<String> order = new ArrayList<>(names);
        java.util.Collections.shuffle(order, random);
        int[] priority = new int[names.size()];
        for (int i = 0; i < order.size(); i++) {
            priority[names.indexOf(order.get(i))] = depth + i;
        }
        int[] changeAt = new int[Math.max(0, depth - 1)];
        for (int i = 0; i < changeAt.length; i++) {
            changeAt[i] = random.nextInt(Math.max(1, steps));
        }
        return (ready, step) -> {
            String best = highest(ready, priority);
            for (int i = 0; i < changeAt.length; i++) {
                if (changeAt[i] == step) {
                    priority[names.indexOf(best)] = depth - 1 - i;
                    best = highest(ready, priority);
                }
            }
            return best;
        };
    }

    private String highest(List<String> ready, int[] priority) {
        String best = null;
        for (String r : ready) {
            if (best == null || priority[names.indexOf(r)] > priority[names.indexOf(best)]) {
                best = r;
            }
        }
        return best;
    }
}
