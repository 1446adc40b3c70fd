package dev.holdfast.examples;

import dev.holdfast.Database;
import java.util.function.Consumer;

/**
 * One concurrent part of a {@link Scenario}: a named body that uses the database (one request, one worker thread,
 * one process).
 *
 * <pre>{@code new Actor("increment", db -> db.update(Counter.class, 1L, set("count", plus(1))))}</pre>
 */
public record Actor(String name, Consumer<Database> body) {
}
