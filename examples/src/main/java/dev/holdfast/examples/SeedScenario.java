package dev.holdfast.examples;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every seed scenario shares: its name, description and safety, and the pause point of the naive versions.
 *
 * <p>The pause sits where the naive code has read and not yet written. Tests set it to a barrier so that two actors
 * reliably overlap there (no luck, no sleeps); the interleaving explorer needs no pause, it schedules the SQL itself.
 */
abstract class SeedScenario implements Scenario {
    /** Seed rows per table: actors spread their calls over them, call {@code i} of an actor on row {@code i % ROWS}. */
    static final int ROWS = 1000;

    private final String name;
    private final String description;
    private final boolean safe;
    private volatile Runnable pause = () -> { };

    SeedScenario(String name, boolean safe, String description) {
        this.name = name + (safe ? "/safe" : "/naive");
        this.safe = safe;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean safe() {
        return safe;
    }

    /** Sets what the naive code runs between its read and its write (tests: a barrier). */
    final void pauseAfterRead(Runnable pause) {
        this.pause = pause;
    }

    /** The naive code's window between read and write. */
    final void pause() {
        pause.run();
    }

    /** The row an actor's next call works on: successive calls of one actor go to successive rows. */
    static long nextRow(AtomicInteger calls) {
        return calls.getAndIncrement() % ROWS + 1;
    }

    @Override
    public String toString() {
        return name;
    }
}
