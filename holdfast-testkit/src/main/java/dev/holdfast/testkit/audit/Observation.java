package dev.holdfast.testkit.audit;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything one run of a test observed: each step in script order, and the table's rows after all ended. */
record Observation(List<ObservedStep> steps, Map<Integer, Integer> finalState) {

    Observation {
        steps = List.copyOf(steps);
    }

    ObservedStep step(int index) {
        return steps.get(index - 1);
    }

    /** The value of row {@code id} read at this step, or {@code null} when the step read no such row or failed. */
    Integer read(int step, int id) {
        Map<Integer, Integer> rows = step(step).rows();
        return rows == null ? null : rows.get(id);
    }

    /** True when this step read row {@code id} with this value. */
    boolean read(int step, int id, int value) {
        Integer v = read(step, id);
        return v != null && v == value;
    }

    /** The rows this step changed, or -1 when it failed or is not a write. */
    int updated(int step) {
        return step(step).updated();
    }

    /** True when the session reached its commit and nothing it sent failed. */
    boolean committed(String session) {
        boolean commit = false;
        for (ObservedStep s : steps) {
            if (!s.session().equals(session)) {
                continue;
            }
            if (s.status() != AuditStep.Status.OK) {
                return false;
            }
            commit |= s.sql().equalsIgnoreCase("commit");
        }
        return commit;
    }

    boolean allCommitted(String... sessions) {
        for (String s : sessions) {
            if (!committed(s)) {
                return false;
            }
        }
        return true;
    }

    /** The first step that failed, or {@code null}. */
    ObservedStep firstError() {
        return steps.stream().filter(s -> s.status() == AuditStep.Status.ERROR).findFirst().orElse(null);
    }

    /** The first step that waited for a lock, or {@code null}. */
    ObservedStep firstBlocked() {
        return steps.stream().filter(ObservedStep::blocked).findFirst().orElse(null);
    }

    /** What a step read, e.g. {@code 1 => 10, 2 => 20}, or {@code nothing}. */
    String shown(int step) {
        Map<Integer, Integer> rows = step(step).rows();
        return rows == null ? step(step).result() : show(rows);
    }

    static String show(Map<Integer, Integer> rows) {
        if (rows.isEmpty()) {
            return "nothing";
        }
        return rows.entrySet().stream().map(e -> e.getKey() + " => " + e.getValue()).collect(Collectors.joining(", "));
    }
}
