package dev.holdfast.testkit.audit;

/** Decides from what a run observed (reads, row counts, errors, final state) whether the anomaly happened. */
@FunctionalInterface
interface Judge {
    Judgement judge(Observation observed);
}
