package dev.holdfast.testkit.audit;

/** What one Hermitage test found at one isolation level. */
public enum Verdict {
    /** The database let the anomaly happen: a transaction read or wrote what no serial order explains. */
    ANOMALY,
    /** The database prevented it: by making a step wait, by aborting a transaction, or by not showing the write. */
    PREVENTED
}
