package dev.holdfast.testkit.audit;

import java.util.Map;

/**
 * What one step did, as a runner observed it.
 *
 * @param rows    the rows read (id to value, in the order returned) for a query that succeeded; {@code null} otherwise
 * @param updated the rows changed by an insert, update or delete that succeeded; -1 otherwise
 * @param error   the database's error message (with its SQLState) for a step that failed; {@code null} otherwise
 */
record ObservedStep(int index, String session, String sql, AuditStep.Status status, Map<Integer, Integer> rows,
                    int updated, String error, boolean blocked, int resumedAfter) {

    AuditStep toAuditStep() {
        return new AuditStep(index, session, sql, status, result(), blocked, resumedAfter);
    }

    String result() {
        return switch (status) {
            case ERROR -> "ERROR " + error;
            case SKIPPED -> "not sent: the transaction had already failed";
            case CANCELLED -> "still waiting at the end of the script; cancelled";
            case OK -> rows != null ? Observation.show(rows)
                    : updated >= 0 ? updated + (updated == 1 ? " row" : " rows") + " changed"
                    : sql.equalsIgnoreCase("commit") ? "committed" : "rolled back";
        };
    }
}
