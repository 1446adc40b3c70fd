package dev.holdfast.examples;

import dev.holdfast.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link Scenario} under load: {@code threads} threads released together, thread {@code i} running actor
 * {@code i % actors} {@code iterations} times, then the scenario's check.
 *
 * <pre>{@code
 * Scenario s = new LostCounter.Safe();
 * s.setUp(db);
 * ScenarioRunner.run(db, s, 8, 50);   // AssertionError if an acknowledged write is missing
 * }</pre>
 */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /**
     * Runs the actors concurrently, then {@link Scenario#check}.
     *
     * @throws AssertionError when the invariant fails
     * @throws RuntimeException the first exception an actor threw
     */
    public static void run(Database db, Scenario scenario, int threads, int iterations) {
        run(db, scenario, threads, iterations, false);
    }

    /**
     * Like {@link #run}, but in lockstep: every thread waits for all the others before each call, so each round's
     * calls start together and overlap (tests: with a concentrated {@link SeedScenario}, on the same row).
     */
    static void runInLockstep(Database db, Scenario scenario, int threads, int rounds) {
        run(db, scenario, threads, rounds, true);
    }

    private static void run(Database db, Scenario scenario, int threads, int iterations, boolean lockstep) {
        List<Actor> actors = scenario.actors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Actor actor = actors.get(t % actors.size());
                running.add(pool.submit(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        for (int i = 0; i < iterations; i++) {
                            if (lockstep && i > 0) {
                                start.await(60, TimeUnit.SECONDS);
                            }
                            actor.body().accept(db);
                        }
                    } catch (Throwable e) {
                        if (firstFailure.compareAndSet(null, e)) {
                            start.reset();   // release the others waiting for this thread; they fail, this is the cause
                        }
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get(300, TimeUnit.SECONDS);
                } catch (ExecutionException ignored) {
                    // the first failure is reported below, not whichever thread's future comes first
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(scenario.name() + " did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        Throwable cause = firstFailure.get();
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        if (cause != null) {
            throw new RuntimeException(scenario.name() + " failed", cause);
        }
        scenario.check(db);
    }
}
