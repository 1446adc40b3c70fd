package dev.holdfast.tasks;

/**
 * Where a task is in its life. Stored as text in {@code holdfast_task.state}.
 *
 * <pre>
 * QUEUED --claim--> RUNNING --returns--> SUCCEEDED
 *   ^  |               |  \--throws, attempts left--> QUEUED (after a backoff)
 *   |  pause           |   \-throws, no attempts left--> FAILED
 *   |  v               |--checkpoint after pause()--> PAUSED --resume()--> QUEUED
 * PAUSED               |--checkpoint after cancel()--> CANCELLED
 *                      |--awaitParts() with parts left--> WAITING --last part finished--> RUNNING again
 * </pre>
 */
public enum TaskState {
    /** Waiting for a worker (new, retrying after a backoff, resumed, or released by a worker that shut down). */
    QUEUED,
    /** A worker holds its lease and runs the handler. */
    RUNNING,
    /**
     * Split into parts ({@link TaskContext#split}) and waiting for them, holding no worker; the last part to finish
     * queues it again, and it resumes from its checkpoint.
     */
    WAITING,
    /** Paused; {@link Tasks#resume} queues it again from its last checkpoint. */
    PAUSED,
    /** The handler returned. Final. */
    SUCCEEDED,
    /** The handler threw on its last allowed attempt; {@link TaskStatus#error()} says why. Final. */
    FAILED,
    /** Cancelled before it finished. Final. */
    CANCELLED;

    /** True for SUCCEEDED, FAILED and CANCELLED: nothing will change this task again. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
