package dev.holdfast.internal.sqlite;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.internal.Body;
import dev.holdfast.internal.Engine;
import dev.holdfast.internal.Sessions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * One write transaction handed to the {@link SqliteWriter}: the body, what the attempt needs to know, and the place
 * where the writer leaves the outcome for the caller.
 *
 * <p>The writer and a caller that gives up (its timeout passed, or it was interrupted) race to {@link #claim} the
 * unit: whoever wins decides whether it runs. So a caller told "not run" can trust that nothing of it will ever be
 * committed, and a caller that lost the race waits for the real outcome instead of guessing.
 */
final class WriterUnit<R> {
    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int CANCELLED = 2;

    final Sessions sessions;
    final Engine.Attempt attempt;
    final Body<R> body;
    /**
     * Null for a caller that waits ({@code transact}). For {@code transactAsync}, where the result is completed: never
     * on the writer thread, because callbacks chained onto a future run on the thread that completes it.
     */
    final Executor completer;
    /** Completed by the writer thread; only the submitting thread (or the async hand-off) ever waits on it. */
    final CompletableFuture<Engine.Outcome<R>> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    /**
     * The submitting thread's SLF4J MDC, put on the writer thread while the body runs: on PostgreSQL and MariaDB the
     * body runs on the caller's thread and sees its MDC, and a body must not log differently on SQLite. Null when the
     * caller had none.
     */
    final Map<String, String> context;

    /** True when the caller ran the unit in its own thread ({@link SqliteWriter#runInCaller}): no hand-off to report. */
    boolean ranInCaller;

    // Set by the writer thread between running the body and the COMMIT that makes it count.
    R value;
    List<Runnable> afterCommit;
    Throwable failure;

    WriterUnit(Sessions sessions, Engine.Attempt attempt, Body<R> body, Executor completer) {
        this(sessions, attempt, body, completer, MDC.getCopyOfContextMap());
    }

    /** With the MDC captured earlier: an async retry is resubmitted from a Holdfast thread, not the caller's. */
    WriterUnit(Sessions sessions, Engine.Attempt attempt, Body<R> body, Executor completer,
               Map<String, String> context) {
        this.context = context;
        this.sessions = sessions;
        this.attempt = attempt;
        this.body = body;
        this.completer = completer;
    }

    /** The writer takes the unit; false when its caller has already given up on it. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    /** The caller gives up; false when the writer has already started it. */
    boolean cancel() {
        return state.compareAndSet(QUEUED, CANCELLED);
    }

    boolean expired() {
        return attempt.deadlineNanos() != 0 && System.nanoTime() - attempt.deadlineNanos() >= 0;
    }

    /** Completes with the body's value; for an async unit call it on the completer (see {@link SqliteWriter}). */
    void succeed() {
        result.complete(new Engine.Outcome<>(value, afterCommit == null ? List.of() : afterCommit));
    }

    /** Completes with a failure; the failure is readable at once through {@link #failure}, whoever completes it. */
    void fail(Throwable failure) {
        if (this.failure == null) {
            this.failure = failure;
        }
        if (completer == null) {
            result.completeExceptionally(failure);
        } else {
            completer.execute(() -> result.completeExceptionally(failure));
        }
    }

    /**
     * Waits in the caller's thread for the outcome. The writer's exception is rethrown as the same object, so its type
     * (a {@link dev.holdfast.error.UniqueViolationException}, the body's own checked exception, an {@link Error}) is
     * what the caller
     * catches; the caller's own stack is attached to it as a suppressed exception (see {@link SqliteWriter#handOff()}).
     */
    Engine.Outcome<R> await() throws Exception {
        long deadline = attempt.deadlineNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (deadline == 0) {
                        return result.get();
                    }
                    return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (cancel()) {
                        throw new TransactionTimeoutException("The transaction waited in the SQLite writer's queue "
                                + "past its timeout and was never run; nothing of it is committed. The writer is "
                                + "overloaded or a transaction is holding it (see WARN logs); raise the timeout or "
                                + "shorten the transactions", null);
                    }
                    deadline = 0;   // already running: its statements have the deadline; wait for what really happened
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (cancel()) {
                        throw new HoldfastException("Interrupted while waiting in the SQLite writer's queue; the "
                                + "transaction was never run and nothing of it is committed", e);
                    }
                    // already running: the interrupt cannot undo it, so wait for the truth and keep the flag
                } catch (ExecutionException e) {
                    Throwable failure = e.getCause();
                    if (!ranInCaller) {
                        failure.addSuppressed(SqliteWriter.handOff());
                    }
                    if (failure instanceof Exception x) {
                        throw x;
                    }
                    if (failure instanceof Error err) {
                        throw err;
                    }
                    throw new HoldfastException("The transaction failed on the SQLite writer thread", failure);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
