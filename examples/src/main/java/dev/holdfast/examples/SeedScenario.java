package dev.holdfast.examples;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every seed scenario shares: its name, description and safety, and the pause point of the naive versions.
 *
 * <p>The pause sits where the naive code has read and not yet written. Tests set it to a barrier so that two actors
 * reliably overlap there (no luck, no sleeps); the interleaving explorer needs no pause, it schedules the SQL itself.
 */
abstract class SeedScenario implements Scenario {
    /** Seed rows per table unless {@link #concentrate}d: call {@code i} of an actor works on row {@code i % ROWS}. */
    static final int ROWS = 1000;

    private final String name;
    private final String description;
    private final boolean safe;
    private volatile Runnable pause = () -> { };
    private volatile int rows = ROWS;
    private volatile int callsPerRow = 1;

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

    /**
     * Concentrates the load (tests; call before {@link #setUp}): {@code rows} seed rows, and {@code callsPerRow}
     * successive calls of one actor on the same row. Spread over 1,000 rows two actors rarely meet on a row, so a
     * load test would prove nothing; with {@code callsPerRow} = threads per actor and the threads in lockstep, every
     * thread of every actor works on the same row in the same round.
     */
    final void concentrate(int rows, int callsPerRow) {
        if (rows < 1 || callsPerRow < 1) {
            throw new IllegalArgumentException("concentrate needs rows >= 1 and callsPerRow >= 1, got " + rows + ", "
                    + callsPerRow);
        }
        this.rows = rows;
        this.callsPerRow = callsPerRow;
    }

    /** How many seed rows {@link #setUp} inserts. */
    final int rows() {
        return rows;
    }

    /** The row an actor's next call works on: successive calls of one actor go to successive rows. */
    final long nextRow(AtomicInteger calls) {
        return calls.getAndIncrement() / callsPerRow % rows + 1;
    }

    @Override
    public String toString() {
        return name;
    }
}
