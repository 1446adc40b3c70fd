package dev.holdfast.testkit;

/**
 * How the interleaver chooses schedules.
 *
 * <pre>{@code
 * Interleaver.on(tdb)...strategy(Strategy.exhaustive()).build().explore();        // every schedule: small cases
 * Interleaver.on(tdb)...strategy(Strategy.pct(42, 3, 500)).build().explore();     // PCT: large cases, bugs of depth 3
 * Interleaver.on(tdb)...strategy(Strategy.random(42, 500)).build().explore();     // uniform random choices
 * }</pre>
 *
 * <p>Every strategy is deterministic: the same seed explores the same schedules, and each run's schedule replays it.
 */
public final class Strategy {
    enum Kind { EXHAUSTIVE, RANDOM, PCT }

    final Kind kind;
    final long seed;
    final int depth;
    final int schedules;

    private Strategy(Kind kind, long seed, int depth, int schedules) {
        this.kind = kind;
        this.seed = seed;
        this.depth = depth;
        this.schedules = schedules;
    }

    /**
     * Every schedule, depth first, each run once (stateless model checking: a schedule is re-run from a fresh state
     * for each branch). Stops at {@link Interleaver.Builder#maxSchedules(int)}, reporting the exploration incomplete.
     */
    public static Strategy exhaustive() {
        return new Strategy(Kind.EXHAUSTIVE, 0, 0, Integer.MAX_VALUE);
    }

    /** {@code schedules} runs, each choosing uniformly among the ready actors at every step, from {@code seed}. */
    public static Strategy random(long seed, int schedules) {
        checkPositive(schedules);
        return new Strategy(Kind.RANDOM, seed, 0, schedules);
    }

    /**
     * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): each run gives the actors random priorities,
     * always runs the ready actor of highest priority, and lowers the running actor's priority at {@code depth - 1}
     * random steps. A bug that needs {@code depth} ordering constraints is found in each run with probability at least
     * {@code 1 / (actors · steps^(depth-1))}.
     */
    public static Strategy pct(long seed, int depth, int schedules) {
        checkPositive(schedules);
        if (depth < 1) {
            throw new IllegalArgumentException("PCT needs depth >= 1 (1: no priority change), got " + depth);
        }
        return new Strategy(Kind.PCT, seed, depth, schedules);
    }

    private static void checkPositive(int schedules) {
        if (schedules < 1) {
            throw new IllegalArgumentException("schedules must be at least 1, got " + schedules);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXHAUSTIVE -> "exhaustive";
            case RANDOM -> "random(seed=" + seed + ")";
            case PCT -> "pct(seed=" + seed + ", depth=" + depth + ")";
        };
    }
}
