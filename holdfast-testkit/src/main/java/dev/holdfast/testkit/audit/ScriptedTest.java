package dev.holdfast.testkit.audit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A Hermitage test as data: the transactions, their statements in the order Hermitage runs them, and the judge.
 * Every test starts from {@code test(id int primary key, value int)} holding {@code (1, 10), (2, 20)}.
 */
record ScriptedTest(Anomaly anomaly, List<String> sessions, List<ScriptStep> steps, Judge judge) {

    /**
     * Reads a script of lines {@code T1: update test set value = 11 where id = 1}; blank lines are ignored. The table
     * is always written {@code test} in a script and renamed to the audit's table when it runs.
     */
    static ScriptedTest of(Anomaly anomaly, String script, Judge judge) {
        List<ScriptStep> steps = new ArrayList<>();
        LinkedHashSet<String> sessions = new LinkedHashSet<>();
        for (String line : script.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("A script line reads 'T1: sql', got '" + line + "' in " + anomaly.name());
            }
            String session = line.substring(0, colon).strip();
            sessions.add(session);
            steps.add(new ScriptStep(session, line.substring(colon + 1).strip()));
        }
        return new ScriptedTest(anomaly, List.copyOf(sessions.stream().sorted().toList()), List.copyOf(steps), judge);
    }

    String name() {
        return anomaly.name();
    }
}
