package dev.holdfast.testkit;

/**
 * How {@link Interleaver#runScript} reads a script when an entry names an actor whose statement is waiting on a lock.
 *
 * <pre>{@code
 * // a session's statement_timeout must fire before another session's teardown releases the lock:
 * Run run = Interleaver.on(tdb)...scriptMode(ScriptMode.STRICT_ORDER).build()
 *     .runScript(Schedule.parse("S1 S1 S2 S2 S2"), Schedule.parse("S1"));
 * }</pre>
 */
public enum ScriptMode {
    /**
     * PostgreSQL's isolation tester: entries are sent strictly in the script's order. An entry is sent once the
     * entry before it has completed or is seen waiting on a lock (or is marked {@code (*)}, which counts as waiting
     * as soon as it is sent); an entry naming an actor whose step still waits is not passed over: the script waits
     * until that step ends — released, failed by the database's own timeout or deadlock check, or cancelled at the
     * last-resort timeout. When the script is used up, every step still waiting is waited for in the same way
     * before the teardown is sent. The default for scripts read from text ({@code T1: update ...} lines, as in the
     * isolation audit).
     */
    STRICT_ORDER,
    /**
     * Hermitage by hand, and the interleaver's behaviour before {@link #STRICT_ORDER} existed: an entry naming an
     * actor whose step waits is kept aside, the next entries are sent, and the kept entry is taken as soon as the
     * actor can go on. When the script is used up and only waiting steps are left, they are cancelled; the teardown
     * is sent after that. The default of {@link Interleaver.Builder}.
     */
    RUN_AHEAD
}
