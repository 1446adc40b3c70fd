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
     * Asked when every actor that is not done waits on a lock: true ends the run there (the waiting steps are
     * cancelled) instead of waiting for the database to resolve it. Only a script, which has nothing left to send,
     * says so.
     */
    default boolean ended(int step) {
        return false;
    }
}
