package dev.holdfast.testkit;

import java.util.List;

/**
 * One step of a run, as data: which actor took it, the SQL it sent (or {@code COMMIT}/{@code ROLLBACK}), the values
 * bound to it, what came back, and whether it had to wait for another actor.
 *
 * <pre>{@code
 * for (Step s : run.trace().steps()) {
 *     System.out.println(s.index() + " " + s.actor() + ": " + s.sql() + " -> " + s.result());
 * }
 * }</pre>
 *
 * @param index        1-based position in the schedule: the step was let through as the {@code index}-th
 * @param actor        the actor's name
 * @param sql          the statement text, or {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT …}
 * @param parameters   the values bound to its {@code ?} placeholders (the first row's, for a batch)
 * @param result       what came back: rows read, rows changed, or the error (see {@link #failed()})
 * @param failed       true when the database answered with an error
 * @param waited       whether and how the step waited for another actor
 * @param resumedAfter for a step that waited on a lock: the index of the step after which it went on; 0 otherwise
 * @param columns      for a query: the result's column labels, in order; empty otherwise
 * @param rows         for a query: every row the actor's code moved to, all columns, each value as text ({@code null}
 *                     for SQL NULL) — unlike {@code result}, which is a summary (six rows, the values read); empty
 *                     otherwise
 */
public record Step(int index, String actor, String sql, List<Object> parameters, String result, boolean failed,
                   Wait waited, int resumedAfter, List<String> columns, List<List<String>> rows) {

    /** How a step waited. */
    public enum Wait {
        /** It did not wait. */
        NONE,
        /** It waited on a lock held by another actor, as the database itself reported (PostgreSQL, MariaDB). */
        LOCK,
        /** SQLite answered SQLITE_BUSY at once (busy timeout 0); the same step ran again after another actor moved. */
        BUSY,
        /** It neither finished nor showed as waiting in the database within the last-resort timeout. */
        TIMEOUT
    }

    public Step {
        parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        columns = columns == null ? List.of() : List.copyOf(columns);
        rows = rows == null ? List.of()
                : rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    /** True when the step had to wait for another actor. */
    public boolean blocked() {
        return waited != Wait.NONE;
    }

    @Override
    public String toString() {
        return index + " " + actor + ": " + sql + (parameters.isEmpty() ? "" : " " + parameters) + " -> " + result
                + (waited == Wait.NONE ? "" : " [" + waited.name().toLowerCase(java.util.Locale.ROOT) + "]");
    }
}
