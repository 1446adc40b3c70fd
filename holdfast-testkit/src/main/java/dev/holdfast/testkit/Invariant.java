package dev.holdfast.testkit;

import dev.holdfast.Database;

/**
 * A property the final state must have after every schedule. It fails by throwing (an {@link AssertionError} from
 * AssertJ or JUnit, or any exception); its message becomes the failing run's reason.
 *
 * <pre>{@code
 * Invariant noLostIncrement = db -> {
 *     long n = db.queryScalar(Long.class, "select n from counter where id = 1");
 *     if (n != 2) throw new AssertionError("expected 2 increments, counter is " + n);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Invariant {
    void check(Database db) throws Exception;
}
