package dev.holdfast.tasks;

import java.time.Instant;
import java.util.Optional;

/**
 * A task as the database holds it at the moment {@link Tasks#status} read it: a snapshot, never updated in place. Ask
 * again for a newer one (seed 000's bug was reading a stale in-memory copy instead).
 *
 * @param id            the task
 * @param type          the task type it was submitted as
 * @param state         where it is in its life
 * @param done          progress: units done, as last reported by {@link TaskContext#progress}
 * @param total         progress: units in all (0 when unknown)
 * @param message       the last progress message, or null
 * @param attempts      how many times a worker has started it
 * @param worker        the worker holding its lease, or null when no worker does
 * @param lastHeartbeat when that worker last extended its lease (or checkpointed), or null
 * @param error         the last failure (exception class and message), or null
 * @param stopRequested "PAUSE" or "CANCEL" while a running task has not yet reached a checkpoint to obey it; else null
 * @param parent        the task this one is a part of, or null
 * @param createdAt     when it was submitted
 * @param updatedAt     when its row last changed
 */
public record TaskStatus(TaskId id, String type, TaskState state, long done, long total, String message, int attempts,
                         String worker, Instant lastHeartbeat, String error, String stopRequested, TaskId parent,
                         Instant createdAt, Instant updatedAt) {

    /** Progress as a fraction between 0 and 1; 1 for a succeeded task; empty when the total is unknown. */
    public Optional<Double> fraction() {
        if (state == TaskState.SUCCEEDED) {
            return Optional.of(1.0);
        }
        return total <= 0 ? Optional.empty() : Optional.of(Math.min(1.0, Math.max(0.0, (double) done / total)));
    }
}
