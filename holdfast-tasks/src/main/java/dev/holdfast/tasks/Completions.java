package dev.holdfast.tasks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the successes of this process's workers off their path: a worker whose handler returned queues the success
 * here and takes its next task at once; one thread writes the queued successes, each still fenced by its own token, in
 * one statement per batch ({@link TaskStore#succeedAll}).
 *
 * <p>Until it is written a success is not visible ({@code status} says RUNNING) and its lease is still extended by the
 * heartbeats ({@link #unwritten()}). Should the process die first, the lease expires and another worker runs the task
 * again from its last checkpoint, as after any crash between a checkpoint and the end of the handler. {@link #close()}
 * writes what is queued. Parts are not queued here: a part's success counts towards its parent in a transaction.
 */
final class Completions {
    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);
    private static final int MAX_BATCH = 100;

    private final TaskStore store;
    /** Records one success the way a worker would alone (used when a batch could not be written). */
    private final Consumer<TaskStore.Claim> alone;
    private final ArrayDeque<TaskStore.Claim> queued = new ArrayDeque<>();
    private final Set<TaskStore.Claim> unwritten = ConcurrentHashMap.newKeySet();
    private final Thread writer;
    private boolean closed;

    Completions(TaskStore store, Consumer<TaskStore.Claim> alone) {
        this.store = store;
        this.alone = alone;
        this.writer = new Thread(this::writeUntilClosed, "holdfast-task-completions");
        writer.setDaemon(true);
        writer.start();
    }

    /** The handler of {@code claim} returned: record its success soon. */
    void add(TaskStore.Claim claim) {
        unwritten.add(claim);
        synchronized (this) {
            if (closed) {
                unwritten.remove(claim);
            } else {
                queued.add(claim);
                notify();
                return;
            }
        }
        alone.accept(claim);
    }

    /** Successes queued and not written yet: their leases must still be extended. */
    Set<TaskStore.Claim> unwritten() {
        return unwritten;
    }

    private void writeUntilClosed() {
        while (true) {
            List<TaskStore.Claim> batch = new ArrayList<>();
            synchronized (this) {
                while (queued.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // close() sets closed and notifies
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                while (!queued.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queued.poll());
                }
            }
            write(batch);
        }
    }

    private void write(List<TaskStore.Claim> batch) {
        try {
            int held = store.succeedAll(batch, System.currentTimeMillis());
            if (held < batch.size()) {
                LOG.info("{} of {} tasks returned after this process lost them; their new holders finish them",
                        batch.size() - held, batch.size());
            }
        } catch (RuntimeException e) {
            LOG.debug("recording {} successes in one statement failed; recording each alone", batch.size(), e);
            batch.forEach(alone);
        } finally {
            batch.forEach(unwritten::remove);
        }
    }

    /** Writes every queued success, then stops the writer thread. */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
