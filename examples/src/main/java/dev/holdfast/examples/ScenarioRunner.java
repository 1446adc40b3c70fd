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
        List<Actor> actors = scenario.actors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Actor actor = actors.get(t % actors.size());
                running.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < iterations; i++) {
                        actor.body().accept(db);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(300, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new RuntimeException(scenario.name() + " failed", cause);
        } catch (Exception e) {
            throw new RuntimeException(scenario.name() + " did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        scenario.check(db);
    }
}
