package dev.holdfast.tasks;

/**
 * How the parts of a task ended ({@link TaskContext#awaitParts}).
 *
 * @param total     parts in all
 * @param succeeded parts whose handler returned
 * @param failed    parts that failed on their last attempt
 * @param cancelled parts cancelled
 */
public record Parts(int total, int succeeded, int failed, int cancelled) {
}
