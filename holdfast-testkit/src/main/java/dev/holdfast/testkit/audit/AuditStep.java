package dev.holdfast.testkit.audit;

/**
 * One step of a Hermitage test as it was observed: which transaction sent which statement, what came back, and
 * whether it had to wait.
 *
 * @param index        1-based position in the test's script: the step was sent as the {@code index}-th
 * @param session      the transaction that sent it: {@code T1}, {@code T2}, {@code T3}
 * @param sql          the statement, or {@code commit} / {@code rollback}
 * @param status       how it ended
 * @param result       what came back: the rows read ({@code 1 => 10, 2 => 20}), the rows changed, or the error
 * @param blocked      true when the database reported the step waiting for another transaction's lock
 * @param resumedAfter for a blocked step, the index of the step after which it was seen finished; 0 when it never
 *                     finished (cancelled at the end) or did not block
 */
public record AuditStep(int index, String session, String sql, Status status, String result, boolean blocked,
                        int resumedAfter) {

    /** How a step ended. */
    public enum Status {
        /** The database answered normally. */
        OK,
        /** The database answered with an error; the transaction was then rolled back. */
        ERROR,
        /** Not sent: its transaction had already failed at an earlier step. */
        SKIPPED,
        /** Still waiting when the script ended; the audit cancelled it. */
        CANCELLED
    }

    @Override
    public String toString() {
        return index + " " + session + ": " + sql + " -> " + result + (blocked ? " [blocked"
                + (resumedAfter > 0 ? " until step " + resumedAfter : "") + "]" : "");
    }
}
