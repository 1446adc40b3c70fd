package dev.holdfast.testkit;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The resources of one exploration (plain and gated data sources, the actors' {@link Database}, the monitor
 * connection) and one run with its oracles: reset the state, run the schedule, read the final state, check the
 * invariants and serializability.
 */
final class Harness implements AutoCloseable {
    private final Interleaver spec;
    private final PlainDataSource plain;
    private final Database actorDb;
    private final Database oracleDb;
    private final DataSource gated;
    private final BlockedStepDetector detector;
    private final FreshState fresh;
    private final ActorConnections connections;
    private final Map<String, Map<String, String>> serialStates = new HashMap<>();

    /** @param snapshots whether to restore a snapshot of the setup's state instead of setting up again */
    Harness(Interleaver spec, boolean snapshots) throws SQLException {
        this.spec = spec;
        this.plain = new PlainDataSource(spec.target);
        this.gated = new GatedDataSource(plain);
        BlockedStepDetector d = null;
        try {
            this.oracleDb = Database.builder(plain).build();
            // Retries are more steps of the same actor; no backoff, since the schedule, not time, orders them.
            this.actorDb = Database.builder(gated).isolation(spec.isolation)
                    .retry(Retry.exponential(spec.attempts, Duration.ZERO, Duration.ZERO)).build();
            d = BlockedStepDetector.forTarget(spec.target);
        } catch (SQLException | RuntimeException e) {
            plain.close();
            throw e;
        }
        this.detector = d;
        this.connections = new ActorConnections(spec.target, spec.isolationSet ? spec.isolation : null,
                spec.deadlockTimeout, !spec.freshConnections);
        this.fresh = new FreshState(spec.target, plain, oracleDb, spec.setup, spec.keepDatabase,
                spec.dropExistingTables, snapshots);
    }

    /** One run of the named actors, the chooser deciding every step, with the oracles applied. */
    Run run(Chooser chooser, List<String> names, boolean checkOracles) {
        return run(chooser, names, checkOracles, false);
    }

    /** As {@link #run(Chooser, List, boolean)}; {@code script}: each step is sent once (see {@link ScheduleRun}). */
    Run run(Chooser chooser, List<String> names, boolean checkOracles, boolean script) {
        try {
            fresh.reset();
        } catch (Exception e) {
            throw new IllegalStateException("The setup failed on " + spec.target + ": " + e.getMessage(), e);
        }
        ScheduleRun run = new ScheduleRun(spec.target, detector, spec.lastResort.toNanos(), spec.maxSteps, script,
                spec.target.kind == Target.Kind.POSTGRES && spec.deadlockTimeout == null, spec.javaTimeout.toNanos(),
                spec.isolationSet ? spec.isolation : null, spec.deadlockTimeout, connections);
        for (String name : names) {
            Object code = spec.actors.get(name);
            run.addActor(name, code instanceof Actor a ? () -> a.run(actorDb) : () -> ((JdbcActor) code).run(gated));
        }
        ScheduleRun.Result result = run.execute(chooser);
        fresh.ran(result.steps());
        Map<String, String> errors = new LinkedHashMap<>();
        result.errors().forEach((n, t) -> errors.put(n, t.getClass().getSimpleName() + ": " + t.getMessage()));
        String state = finalState();
        StringJoiner outcome = new StringJoiner(" | ");
        if (state != null) {
            outcome.add(state);
        }
        result.errors().forEach((n, t) -> outcome.add(n + ": " + t.getClass().getSimpleName()));
        if (result.stopReason() != null) {
            outcome.add("stopped");
        }
        String failure = checkOracles ? judge(result, names, state) : result.stopReason();
        Trace trace = new Trace(names, result.steps());
        return new Run(new Schedule(result.schedule()), trace, outcome.length() == 0 ? "done" : outcome.toString(),
                errors, failure);
    }

    private String judge(ScheduleRun.Result result, List<String> names, String state) {
        if (result.stopReason() != null) {
            return result.stopReason();
        }
        // An actor's exception — a conflict it gave up on, or its own business exception — is its outcome, which
        // outcome invariants judge; it fails the run only when the test asked every actor to succeed.
        if (spec.everyActorSucceeds && !result.errors().isEmpty()) {
            StringJoiner gaveUp = new StringJoiner("; ");
            result.errors().forEach((n, t) -> gaveUp.add(n + " ended with " + t));
            return "every actor must succeed (everyActorSucceeds), but " + gaveUp;
        }
        for (Map.Entry<String, Invariant> inv : spec.invariants.entrySet()) {
            try {
                inv.getValue().check(oracleDb);
            } catch (Throwable t) {
                return "invariant '" + inv.getKey() + "' does not hold: " + t.getMessage();
            }
        }
        for (Map.Entry<String, OutcomeInvariant> inv : spec.outcomeInvariants.entrySet()) {
            try {
                inv.getValue().check(oracleDb, java.util.Collections.unmodifiableMap(result.errors()));
            } catch (Throwable t) {
                return "invariant '" + inv.getKey() + "' does not hold: " + t.getMessage();
            }
        }
        if (spec.serializable) {
            List<String> committed = new ArrayList<>();
            for (String n : names) {
                if (!result.errors().containsKey(n)) {
                    committed.add(n);
                }
            }
            Map<String, String> serial = serialStates(committed);
            if (!serial.containsValue(state)) {
                StringJoiner orders = new StringJoiner("; ");
                serial.forEach((order, s) -> orders.add(order + " → " + s));
                return "not serializable: the final state " + state + " is not the final state of any serial order "
                        + "of the actors that succeeded (" + orders + ")";
            }
        }
        return null;
    }

    /** The final state of every serial order of these actors, by order ("A then B"), each run on a fresh state. */
    private Map<String, String> serialStates(List<String> names) {
        return serialStates.computeIfAbsent(String.join(",", names), key -> {
            Map<String, String> states = new LinkedHashMap<>();
            for (List<String> order : permutations(names)) {
                Run r = run((ready, step) -> {
                    for (String n : order) {
                        if (ready.contains(n)) {
                            return n;
                        }
                    }
                    return ready.get(0);
                }, order, false);
                if (r.failure() != null) {
                    throw new IllegalStateException("Running the actors serially (" + String.join(" then ", order)
                            + ") failed: " + r.failure() + "\n" + r.trace().swimlane());
                }
                states.put(order.isEmpty() ? "none" : String.join(" then ", order), r.outcome().split(" \\| ")[0]);
            }
            return states;
        });
    }

    private static List<List<String>> permutations(List<String> items) {
        List<List<String>> out = new ArrayList<>();
        if (items.isEmpty()) {
            out.add(List.of());
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String first = rest.remove(i);
            for (List<String> p : permutations(rest)) {
                List<String> l = new ArrayList<>();
                l.add(first);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }

    private String finalState() {
        if (spec.finalStateQuery == null) {
            return null;
        }
        List<String> rows = oracleDb.query(rs -> {
            int n = rs.getMetaData().getColumnCount();
            StringJoiner row = new StringJoiner(", ", "(", ")");
            for (int i = 1; i <= n; i++) {
                row.add(String.valueOf(rs.getObject(i)));
            }
            return row.toString();
        }, spec.finalStateQuery);
        return "[" + String.join(", ", rows) + "]";
    }

    /** How the state was reset so far ({@link FreshState#summary()}). */
    String stateResets() {
        return fresh.summary();
    }

    @Override
    public void close() {
        connections.close();
        detector.close();
        actorDb.close();
        oracleDb.close();
        plain.close();
    }
}
