package dev.holdfast.tasks;

import dev.holdfast.error.HoldfastException;

/**
 * This worker no longer holds the task: its lease expired (a long pause, a lost connection, a stopped JVM) and another
 * worker claimed it with a newer fencing token, or the task was released. Whatever the call would have committed was
 * rolled back; the handler must stop, which letting the exception propagate does. The other worker resumes from the
 * last checkpoint that did commit.
 */
public class LeaseLostException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    /** For the worker and tests. */
    public LeaseLostException(String message) {
        super(message);
    }
}
