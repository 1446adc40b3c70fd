package dev.holdfast.tasks;

import java.util.Objects;

/**
 * The id of a task: what {@link Tasks#submit} returns and every other call takes. Shaped like a UUID and made by the
 * submitting process (the submit time in ms, a counter, random bits), so any process can submit without asking the
 * database for a number first, and ids sort in submit order; keep it (in a URL, a cookie, a row of your own) to ask for
 * the task's {@link Tasks#status status} later, from any process.
 *
 * @param value the id as text, as stored in {@code holdfast_task.id}
 */
public record TaskId(String value) {
    /** Checks the value is present. */
    public TaskId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 36) {
            throw new IllegalArgumentException("a task id is the 36-character text Tasks.submit returned, not '"
                    + value + "'");
        }
    }

    /** The id in {@code text}, e.g. a request parameter. */
    public static TaskId of(String text) {
        return new TaskId(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
