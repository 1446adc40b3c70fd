package dev.holdfast.testkit;

import dev.holdfast.Database;
import java.util.Map;

/**
 * A property of a run's final state and of how its actors ended, checked after every schedule. It fails by throwing;
 * its message becomes the failing run's reason.
 *
 * <pre>{@code
 * OutcomeInvariant oneSeatOneBooking = (db, ended) -> {
 *     long booked = db.queryScalar(Long.class, "select count(*) from booking where seat = 7");
 *     long refused = ended.values().stream().filter(e -> e instanceof SeatTaken).count();
 *     if (booked != 1 || refused != 1) throw new AssertionError(booked + " bookings, " + refused + " refused");
 * };
 * }</pre>
 */
@FunctionalInterface
public interface OutcomeInvariant {
    /**
     * @param db    the database after the run
     * @param ended each actor that ended with an exception (its own, or a conflict it gave up on), by name; actors
     *              that returned normally are absent
     */
    void check(Database db, Map<String, Throwable> ended) throws Exception;
}
