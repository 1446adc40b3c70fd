package dev.holdfast.tasks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the idle worker threads of one process get their tasks, with as few claims as possible.
 *
 * <ul>
 *   <li>At most one idle worker claims at a time, and it claims for all of them: one batch claim of up to as many
 *       tasks as there are idle workers. It keeps the first task and hands the others to idle workers waiting here.
 *       Idle workers do not each send a claim that finds nothing.</li>
 *   <li>When a claim took fewer tasks than it asked for, nothing more is runnable now: the next claim waits for a
 *       submit in this process ({@link #submitted()}), or for {@code pollEvery} (tasks submitted by other processes,
 *       retries, expired leases). One idle worker waits with that timeout; the others wait without one.</li>
 *   <li>When it took as many as it asked for, there may be more: the next worker to be idle claims again at once.</li>
 * </ul>
 *
 * <p>Tasks handed over but not started when the loop closes stay claimed; {@link #close()} returns them so that the
 * caller releases them (and should this process die first, their leases expire and other workers claim them).
 */
final class WorkerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

    /** Claims up to {@code max} tasks for this process's idle workers, in one transaction. */
    interface Claimer {
        TaskStore.Batch claim(int max);
    }

    private final Claimer claimer;
    private final long pollNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idleWorkers = lock.newCondition();
    /** Claimed for an idle worker that has not taken it yet. */
    private final ArrayDeque<TaskStore.Claim> handed = new ArrayDeque<>();
    /** Workers inside {@link #next()}. */
    private int idle;
    /** Idle workers promised a task that a submit here is inserting already claimed ({@link #reserve()}). */
    private int reserved;
    /** One of them is claiming now (the lock is not held meanwhile). */
    private boolean claiming;
    /** One of them waits with a timeout, to poll at {@link #nextPollNanos}. */
    private boolean polling;
    /** Claim again as soon as a worker is idle: a submit here, or the last claim took all it asked for. */
    private boolean due;
    private long nextPollNanos = System.nanoTime();
    private boolean closed;

    WorkerLoop(Claimer claimer, long pollMillis) {
        this.claimer = claimer;
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
    }

    /** A task was submitted in this process: an idle worker claims now instead of at its next poll. */
    void submitted() {
        lock.lock();
        try {
            due = true;
            if (!claiming && free() > 0) {
                idleWorkers.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Promises a task to an idle worker when one has nothing to do and nothing is known to be runnable (no claim in
     * flight, none due): the caller then inserts the task already claimed and hands it over with {@link #handOver},
     * or gives the promise back with {@link #unreserve}. False when no worker is free (the task is queued and claimed
     * as usual), so a submit never jumps ahead of tasks this process knows are waiting.
     */
    boolean reserve() {
        lock.lock();
        try {
            if (closed || due || claiming || free() <= 0) {
                return false;
            }
            reserved++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The task a {@link #reserve()} promised, claimed: an idle worker starts it now.
     *
     * @return false when the loop closed meanwhile: the caller releases the claim
     */
    boolean handOver(TaskStore.Claim claim) {
        lock.lock();
        try {
            reserved--;
            if (closed) {
                return false;
            }
            handed.add(claim);
            idleWorkers.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A {@link #reserve()} not used (the insert failed or found the unique key taken). */
    void unreserve() {
        lock.lock();
        try {
            reserved--;
            if (!claiming && free() > 0 && due) {
                idleWorkers.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Idle workers that no claim is meant for yet. (Lock held.) */
    private int free() {
        return idle - handed.size() - reserved;
    }

    /**
     * Waits for this worker's next task: one handed over by the worker that claimed it, or one this worker claims
     * (with the tasks of the other idle workers) when it is time to.
     *
     * @return the task, claimed with its own fencing token; null when the loop was closed
     */
    TaskStore.Claim next() {
        lock.lock();
        idle++;
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                TaskStore.Claim mine = handed.poll();
                if (mine != null) {
                    return mine;
                }
                long untilPoll = nextPollNanos - System.nanoTime();
                if (!claiming && free() > 0 && (due || untilPoll <= 0)) {
                    mine = claim(free());
                    if (mine != null) {
                        return mine;
                    }
                    continue;
                }
                try {
                    if (!polling && !claiming) {
                        polling = true;
                        try {
                            idleWorkers.awaitNanos(untilPoll);
                        } finally {
                            polling = false;
                        }
                    } else {
                        idleWorkers.await();
                    }
                } catch (InterruptedException e) {
                    // close() sets closed and signals; an interrupt meant for a task that ended is not a reason to stop
                }
            }
        } finally {
            idle--;
            if (!closed && !polling && !claiming && free() > 0) {
                idleWorkers.signal();   // the idle workers left without a claim need one of them to poll
            }
            lock.unlock();
        }
    }

    /** Claims for {@code want} idle workers (this one included), with the lock held on entry and on return. */
    private TaskStore.Claim claim(int want) {
        claiming = true;
        due = false;
        TaskStore.Batch batch = null;
        lock.unlock();
        try {
            batch = claimer.claim(want);
        } catch (RuntimeException e) {
            LOG.warn("claiming tasks failed; trying again in {} ms", TimeUnit.NANOSECONDS.toMillis(pollNanos), e);
        } finally {
            lock.lock();
            claiming = false;
        }
        if (batch == null || batch.locked() < want) {
            nextPollNanos = System.nanoTime() + pollNanos;   // nothing more runnable now (a submit meanwhile set due)
        } else {
            due = true;
        }
        if (batch == null || batch.claims().isEmpty()) {
            return null;
        }
        List<TaskStore.Claim> got = batch.claims();
        for (int i = 1; i < got.size(); i++) {
            handed.add(got.get(i));
            idleWorkers.signal();
        }
        if (closed) {
            handed.add(got.get(0));   // close() hands them back to be released
            return null;
        }
        if (due && free() - 1 > 0) {
            idleWorkers.signal();   // there may be more, and a worker without a task to claim them
        }
        return got.get(0);
    }

    /**
     * Stops the loop: idle workers return from {@link #next()} with null. Returns the tasks claimed but not taken by a
     * worker, for the caller to release; call again after the workers ended to get those claimed meanwhile.
     */
    List<TaskStore.Claim> close() {
        lock.lock();
        try {
            closed = true;
            idleWorkers.signalAll();
            List<TaskStore.Claim> left = new ArrayList<>(handed);
            handed.clear();
            return left;
        } finally {
            lock.unlock();
        }
    }
}
