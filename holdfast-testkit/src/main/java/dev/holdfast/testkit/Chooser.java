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
}
