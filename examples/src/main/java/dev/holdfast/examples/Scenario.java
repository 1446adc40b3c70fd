package dev.holdfast.examples;

import dev.holdfast.Database;
import java.util.List;

/**
 * One seed bug, written either the way a user would naively port it or the safe way with Holdfast, in a shape the
 * interleaving explorer, the CLI and the tests can all run: set up, run the actors concurrently (each as often as
 * the runner likes), check the invariant.
 *
 * <pre>{@code
 * Scenario s = new LostCounter.Safe();
 * s.setUp(db);
 * // run s.actors() concurrently, each body any number of times
 * s.check(db);   // AssertionError naming what was lost
 * }</pre>
 *
 * <p>A scenario instance remembers what its actors had acknowledged (returned without an exception), so that
 * {@link #check} can say which acknowledged write is missing. Use a fresh instance ({@link Scenarios#all()}) per
 * run, on a fresh database.
 */
public interface Scenario {

    /** A stable name such as {@code django-bug-3-counter/safe}. */
    String name();

    /** What the code does and what can go wrong, in a sentence or two. */
    String description();

    /** Creates the tables and seed rows; run once on a fresh, empty database. */
    void setUp(Database db);

    /** The concurrent parts. Each body may be run many times, from many threads. */
    List<Actor> actors();

    /**
     * Checks the seed's invariant against what the actors acknowledged.
     *
     * @throws AssertionError naming what was lost when the invariant fails
     */
    void check(Database db);

    /** True for the Holdfast version, false for the naive port. */
    boolean safe();
}
