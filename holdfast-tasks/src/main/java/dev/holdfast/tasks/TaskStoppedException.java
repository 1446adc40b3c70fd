package dev.holdfast.tasks;

import dev.holdfast.error.HoldfastException;

/**
 * Thrown by a checkpoint after it committed, to unwind a handler that was asked to stop. The task's row already says
 * what happens next (PAUSED, CANCELLED, or QUEUED for another worker after a shutdown); let it propagate.
 */
public class TaskStoppedException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    /** Why the task stopped. */
    public enum Reason {
        /** {@link Tasks#pause} was called; {@link Tasks#resume} continues from this checkpoint. */
        PAUSED,
        /** {@link Tasks#cancel} was called. */
        CANCELLED,
        /** This worker is closing; the task was released and another worker continues from this checkpoint. */
        SHUTDOWN,
        /** {@link TaskContext#awaitParts} found parts unfinished; the task waits without a worker and resumes later. */
        WAITING
    }

    private final Reason reason;

    /** For the worker and tests. */
    public TaskStoppedException(TaskId id, Reason reason) {
        super("task " + id + " stopped at its checkpoint: " + reason);
        this.reason = reason;
    }

    /** Why the task stopped. */
    public Reason reason() {
        return reason;
    }
}
