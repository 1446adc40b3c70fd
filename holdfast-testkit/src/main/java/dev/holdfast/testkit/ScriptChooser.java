package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Follows a schedule as a script ({@link Interleaver#runScript}), in one of two {@link ScriptMode}s.
 *
 * <p>{@link ScriptMode#RUN_AHEAD}, as Hermitage is run by hand: an entry naming an actor that cannot take a step now —
 * its statement waits on a lock, or it has ended (a failed transaction) — is kept aside and the next entries go on; a
 * kept entry is taken as soon as its actor is ready again, before the script continues. An entry for an actor that
 * has ended is never taken. The teardown is the script's tail. When the script is used up and only waiting steps are
 * left, the run ends ({@link #ended}) and those steps are cancelled.
 *
 * <p>{@link ScriptMode#STRICT_ORDER}, as PostgreSQL's isolation tester: entries go in order. The scheduler sends an
 * entry only once every step already sent has completed or is seen waiting (rule B of the tester: it settles before
 * choosing), and an entry naming an actor whose step waits makes the script wait for that step (rule A), rather than
 * being passed. An entry for an actor that has ended is passed over. The teardown starts once no scripted step is
 * waiting any more. Steps waited for longer than the last-resort timeout are cancelled and the script goes on.
 *
 * <p>An entry may carry the isolation tester's {@code (*)} marker ({@code T2(*)}): its step counts as waiting as soon
 * as it is sent, so the next entry does not wait for the database to report it (a wait the detector cannot see,
 * such as SQLite's busy handler).
 */
final class ScriptChooser implements Chooser {
    private static final String PASSABLE = "(*)";

    private final ScriptMode mode;
    private final List<String> entries = new ArrayList<>();
    private final List<Boolean> passable = new ArrayList<>();
    private final int teardownStart;
    private final List<String> kept = new ArrayList<>();
    private int next;
    private boolean lastPassable;

    ScriptChooser(List<String> script, List<String> teardown, ScriptMode mode) {
        this.mode = mode;
        script.forEach(this::add);
        this.teardownStart = entries.size();
        teardown.forEach(this::add);
    }

    private void add(String entry) {
        entries.add(actorOf(entry));
        passable.add(entry.endsWith(PASSABLE));
    }

    /** The actor an entry names, without its marker; an unknown marker is refused with what is understood. */
    static String actorOf(String entry) {
        if (entry.endsWith(PASSABLE)) {
            return entry.substring(0, entry.length() - PASSABLE.length());
        }
        int paren = entry.indexOf('(');
        if (paren >= 0) {
            String actor = entry.substring(0, paren);
            throw new IllegalArgumentException("The script entry '" + entry + "' has a marker the interleaver does not "
                    + "know; only the isolation tester's (*) is understood (the step counts as waiting once sent). "
                    + "Write '" + actor + "(*)' or '" + actor + "'");
        }
        return entry;
    }

    @Override
    public String choose(List<String> ready, int step) {
        return choose(ready, List.of(), step);
    }

    @Override
    public String choose(List<String> ready, List<String> waiting, int step) {
        lastPassable = false;
        return mode == ScriptMode.STRICT_ORDER ? strict(ready, waiting) : runAhead(ready);
    }

    private String runAhead(List<String> ready) {
        for (int i = 0; i < kept.size(); i++) {
            if (ready.contains(kept.get(i))) {
                return kept.remove(i);
            }
        }
        while (next < entries.size()) {
            int at = next++;
            String actor = entries.get(at);
            if (ready.contains(actor)) {
                lastPassable = passable.get(at);
                return actor;
            }
            kept.add(actor);
        }
        return ready.get(0);   // past the script: as a plain schedule, the first ready actor
    }

    private String strict(List<String> ready, List<String> waiting) {
        while (next < entries.size()) {
            if (next == teardownStart && !waiting.isEmpty()) {
                return null;   // the teardown runs after every scripted step has finished
            }
            String actor = entries.get(next);
            if (ready.contains(actor)) {
                lastPassable = passable.get(next);
                next++;
                return actor;
            }
            if (waiting.contains(actor)) {
                return null;   // its step still waits: the script waits for it, it does not pass it
            }
            next++;            // the actor has ended: its entry is passed over
        }
        if (!waiting.isEmpty()) {
            return null;       // as the tester at the end of a permutation: every waiting step is waited for
        }
        return ready.get(0);   // past the script: the actors' remaining steps, first ready actor first
    }

    @Override
    public boolean ended(int step) {
        return mode == ScriptMode.RUN_AHEAD && next >= entries.size();
    }

    @Override
    public boolean cancelsAtLastResort() {
        return mode == ScriptMode.STRICT_ORDER;
    }

    @Override
    public boolean chosenMayBePassed() {
        return lastPassable;
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT) + " script " + entries;
    }
}
