package dev.holdfast.testkit;

import java.util.List;

/** Picks which ready actor takes the next step. One chooser per run; strategies are built from choosers. */
@FunctionalInterface
interface Chooser {
    /**
     * @param ready the actors that can take a step now, in declaration order; never empty
     * @param step  how many steps were taken before this one
     */
    String choose(List<String> ready, int step);

    /**
     * As {@link #choose(List, int)}, also told which actors have a step in the database that waits (on a lock, or
     * marked as passable). A chooser that must wait for one of those steps to end before it can choose returns
     * {@code null}: the scheduler waits until something moves (or cancels the waiting steps at the last-resort
     * timeout, when {@link #cancelsAtLastResort()}).
     */
    default String choose(List<String> ready, List<String> waiting, int step) {
        return choose(ready, step);
    }

    /**
     * Asked when every actor that is not done waits on a lock: true ends the run there (the waiting steps are
     * cancelled) instead of waiting for the database to resolve it. Only a script that runs ahead, which has nothing
     * left to send, says so.
     */
    default boolean ended(int step) {
        return false;
    }

    /**
     * True when steps the chooser waits for are cancelled at the last-resort timeout and the run goes on (a script in
     * strict order, as PostgreSQL's isolation tester cancels a step after its timeout); false when a run whose
     * actors all wait that long fails.
     */
    default boolean cancelsAtLastResort() {
        return false;
    }

    /** True when the step just chosen counts as waiting as soon as it is sent (an isolation-tester {@code (*)}). */
    default boolean chosenMayBePassed() {
        return false;
    }
}
