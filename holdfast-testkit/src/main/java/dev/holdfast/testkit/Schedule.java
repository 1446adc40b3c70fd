package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The order in which actors take their steps: one actor name per step, in the order the steps were let through.
 * Its text form is the names separated by spaces, so a failing schedule printed by a report can be pasted back into a
 * test and replayed exactly.
 *
 * <pre>{@code
 * Run run = interleaver.run(Schedule.parse("A A B A B B"));
 * run.trace().swimlane();
 * }</pre>
 *
 * <p>A step is one statement execution, commit or rollback of an actor. When a schedule ends before every actor is
 * done, the rest runs with the first ready actor (in the order the actors were declared) taking each step.
 *
 * @param actors the actor name of each step, in order
 */
public record Schedule(List<String> actors) {

    public Schedule {
        actors = List.copyOf(Objects.requireNonNull(actors, "actors"));
        for (String a : actors) {
            if (a.isBlank() || a.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("An actor name in a schedule must be non-empty and without spaces, got '"
                        + a + "'");
            }
        }
    }

    /**
     * Reads a schedule from its text form: actor names separated by whitespace.
     *
     * <pre>{@code Schedule s = Schedule.parse("A B B A");}</pre>
     */
    public static Schedule parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        return new Schedule(t.isEmpty() ? List.of() : List.of(t.split("\\s+")));
    }

    /** A schedule of these steps, e.g. {@code Schedule.of("A", "B", "A")}. */
    public static Schedule of(String... actors) {
        return new Schedule(new ArrayList<>(List.of(actors)));
    }

    /** The number of steps. */
    public int size() {
        return actors.size();
    }

    /** The text form, e.g. {@code A A B A B B}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return String.join(" ", actors);
    }
}
