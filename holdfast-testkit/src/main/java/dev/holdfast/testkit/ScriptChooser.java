package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows a schedule as a script, the way PostgreSQL's isolation tester and Hermitage do by hand: an entry naming an
 * actor that cannot take a step now — its statement waits on a lock, or it has ended (a failed transaction) — is kept
 * aside and the next entries go on; a kept entry is taken as soon as its actor is ready again, before the script
 * continues. An entry for an actor that has ended is never taken. When the script is used up and only waiting steps
 * are left, the run ends ({@link #ended}) and those steps are cancelled.
 */
final class ScriptChooser implements Chooser {
    private final List<String> script;
    private final List<String> kept = new ArrayList<>();
    private int next;

    ScriptChooser(List<String> script) {
        this.script = List.copyOf(script);
    }

    @Override
    public String choose(List<String> ready, int step) {
        for (int i = 0; i < kept.size(); i++) {
            if (ready.contains(kept.get(i))) {
                return kept.remove(i);
            }
        }
        while (next < script.size()) {
            String actor = script.get(next++);
            if (ready.contains(actor)) {
                return actor;
            }
            kept.add(actor);
        }
        return ready.get(0);   // past the script: as a plain schedule, the first ready actor
    }

    @Override
    public boolean ended(int step) {
        return next >= script.size();
    }
}
