package dev.holdfast.internal.sqlite;

import dev.holdfast.error.ConflictException;
import dev.holdfast.internal.Body;
import dev.holdfast.internal.Engine;
import dev.holdfast.internal.PooledEngine;
import dev.holdfast.internal.Sessions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * SQLite in one process: every write transaction goes to the {@link SqliteWriter} (one thread, one connection, group
 * commit); reads go to a small pool of read-only WAL connections, which never wait for the writer and never take the
 * write lock. Nobody in this process ever sees "database is locked".
 */
public final class SqliteEngine implements Engine {
    private static final AtomicInteger COMPLETERS = new AtomicInteger();

    private final SqliteWriter writer;
    private final PooledEngine readers;
    /**
     * Completes the futures of {@code transactAsync}. Not the writer thread: the callbacks a user chains onto such a
     * future run where it is completed, and they must not stall every write of the process.
     */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "holdfast-sqlite-async-" + COMPLETERS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public SqliteEngine(SqliteWriter writer, PooledEngine readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public <R> Outcome<R> run(Sessions sessions, Attempt attempt, Body<R> body) throws Exception {
        if (attempt.readOnly()) {
            return readers.run(sessions, attempt, body);
        }
        WriterUnit<R> unit = new WriterUnit<>(sessions, attempt, body, null);
        if (!writer.runInCaller(unit)) {
            writer.submit(unit);
        }
        return unit.await();
    }

    /**
     * Queues a write transaction and returns at once (after waiting for room in the queue, if it is full). A
     * {@link ConflictException} (a group broken by another unit) resubmits it, up to {@code maxAttempts}.
     */
    public <R> CompletableFuture<Outcome<R>> submit(Sessions sessions, int isolationLevel, int maxAttempts,
                                                    long deadlineNanos, Body<R> body) {
        CompletableFuture<Outcome<R>> out = new CompletableFuture<>();
        submitAttempt(sessions, isolationLevel, maxAttempts, deadlineNanos, body, 1, out, MDC.getCopyOfContextMap());
        return out;
    }

    private <R> void submitAttempt(Sessions sessions, int isolationLevel, int maxAttempts, long deadlineNanos,
                                   Body<R> body, int number, CompletableFuture<Outcome<R>> out,
                                   Map<String, String> context) {
        WriterUnit<R> unit = new WriterUnit<>(sessions, new Attempt(isolationLevel, false, false, number, deadlineNanos),
                body, completions, context);
        writer.submit(unit);
        // Completed on the completions thread (see WriterUnit.completer), so this runs there, off the writer.
        unit.result.whenComplete((outcome, failure) -> {
            if (failure == null) {
                out.complete(outcome);
            } else if (failure instanceof ConflictException && number < maxAttempts) {
                try {
                    submitAttempt(sessions, isolationLevel, maxAttempts, deadlineNanos, body, number + 1, out, context);
                } catch (RuntimeException e) {
                    e.addSuppressed(failure);
                    out.completeExceptionally(e);
                }
            } else {
                out.completeExceptionally(failure);
            }
        });
    }

    /** Finishes every queued write and commits it, then closes the writer's connection and the readers' pool. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            completions.shutdown();
            try {
                if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
                    completions.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            readers.close();
        }
    }
}
