package dev.holdfast.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clean-up that must also run when the user presses Ctrl-C (SIGINT) or the process gets SIGTERM: the JVM runs
 * shutdown hooks for both. Runs at most once — at {@link #close()} on the normal path, or from the hook.
 *
 * <pre>{@code
 * try (OnInterrupt drop = OnInterrupt.run("drop schema " + name, () -> dropSchema(name))) {
 *     explore();
 * }   // dropped here, or from the shutdown hook if the user interrupted
 * }</pre>
 */
final class OnInterrupt implements AutoCloseable {
    private final Runnable cleanup;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    private OnInterrupt(String what, Runnable first, Runnable cleanup) {
        this.cleanup = cleanup;
        this.hook = new Thread(() -> {
            if (done.compareAndSet(false, true)) {
                System.err.println("holdfast: interrupted; " + what);
                try {
                    first.run();
                    cleanup.run();
                } catch (RuntimeException e) {
                    System.err.println("holdfast: could not " + what + ": " + e.getMessage());
                }
            }
        }, "holdfast-clean-up");
    }

    /** Registers {@code cleanup}, described to the user as {@code what} ("drop table test") if it runs on interrupt. */
    static OnInterrupt run(String what, Runnable cleanup) {
        return run(what, () -> { }, cleanup);
    }

    /**
     * As {@link #run(String, Runnable)}, with {@code first} run before the clean-up only on an interrupt: the JVM
     * keeps the command's own threads running while hooks run, so {@code first} can hold them at a quiet point.
     */
    static OnInterrupt run(String what, Runnable first, Runnable cleanup) {
        OnInterrupt o = new OnInterrupt(what, first, cleanup);
        Runtime.getRuntime().addShutdownHook(o.hook);
        return o;
    }

    /** Runs the clean-up now (unless the hook already has) and forgets the hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the clean-up
            return;
        }
        if (done.compareAndSet(false, true)) {
            cleanup.run();
        }
    }
}
