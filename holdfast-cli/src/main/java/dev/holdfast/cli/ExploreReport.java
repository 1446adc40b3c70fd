package dev.holdfast.cli;

import dev.holdfast.examples.Scenario;
import dev.holdfast.examples.ScenarioInterleaver;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Run;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What {@code holdfast explore} prints: the text report, or JSON with the keys documented in docs/explore.md.
 */
final class ExploreReport {

    /** How an exploration came out, in the report's words. */
    enum Verdict {
        /** A naive version: the explorer found a schedule that breaks the invariant. */
        BUG_FOUND("bug-found"),
        /** A naive version whose bug cannot happen on this database, for a stated reason. */
        SAFE_ON_THIS_DATABASE("safe-on-this-database"),
        /** A naive version with no failing schedule and no known reason: reported as it is. */
        NOT_FOUND("not-found"),
        /** A safe version: every schedule explored passed. */
        PASSES("passes"),
        /** A safe version with a failing schedule: a bug in Holdfast or in the scenario. */
        FAILS("fails");

        final String key;

        Verdict(String key) {
            this.key = key;
        }
    }

    /** One scenario's exploration; {@code safeByAccident} is the reason a naive bug cannot happen here, or null. */
    record Explored(Scenario scenario, Exploration exploration, String safeByAccident) {
        Verdict verdict() {
            boolean failed = !exploration.failures().isEmpty();
            if (scenario.safe()) {
                return failed ? Verdict.FAILS : Verdict.PASSES;
            }
            if (failed) {
                return Verdict.BUG_FOUND;
            }
            return safeByAccident != null ? Verdict.SAFE_ON_THIS_DATABASE : Verdict.NOT_FOUND;
        }
    }

    private final String url;
    private final List<Explored> explored;

    ExploreReport(String url, List<Explored> explored) {
        this.url = url;
        this.explored = List.copyOf(explored);
    }

    String text() {
        StringBuilder s = new StringBuilder();
        s.append("Seed scenarios through the interleaving explorer on ").append(url).append('\n')
                .append("Each actor runs once per schedule; every schedule is explored (up to ")
                .append(ScenarioInterleaver.MAX_SCHEDULES).append(").\n");
        String bug = null;
        for (Explored e : explored) {
            String b = e.scenario().name().substring(0, e.scenario().name().lastIndexOf('/'));
            if (!b.equals(bug)) {
                bug = b;
                s.append("\n== ").append(b).append(": ").append(e.scenario().description()).append('\n');
            }
            Exploration x = e.exploration();
            String how = "(" + x.strategy() + (x.complete() ? ", complete" : ", stopped at the bound") + ", "
                    + x.elapsedNanos() / 1_000_000 + " ms)";
            String counted = x.schedules() + " schedule" + (x.schedules() == 1 ? "" : "s") + " " + how;
            String version = e.scenario().safe() ? "safe:  " : "naive: ";
            switch (e.verdict()) {
                case BUG_FOUND -> {
                    s.append(version).append("LOSES A WRITE: found at schedule ")
                            .append(ScenarioInterleaver.firstFailureNumber(x).getAsInt()).append("; ")
                            .append(x.failures().size()).append(" of ").append(counted).append(" fail. The first:\n");
                    indent(s, x.firstFailure().orElseThrow().report());
                }
                case SAFE_ON_THIS_DATABASE -> s.append(version).append("no failing schedule in ").append(counted)
                        .append(". The bug cannot happen on this database: ").append(e.safeByAccident()).append(".\n");
                case NOT_FOUND -> s.append(version).append("no failing schedule in ").append(counted).append(".\n");
                case PASSES -> s.append(version).append("every schedule passes: ").append(counted).append(".\n");
                case FAILS -> {
                    s.append(version).append("FAILS: ").append(x.failures().size()).append(" of ").append(counted)
                            .append(" fail. The first:\n");
                    indent(s, x.firstFailure().orElseThrow().report());
                }
            }
        }
        s.append('\n').append(summary()).append('\n');
        return s.toString();
    }

    private String summary() {
        int found = 0;
        int accident = 0;
        int notFound = 0;
        int passes = 0;
        int fails = 0;
        for (Explored e : explored) {
            switch (e.verdict()) {
                case BUG_FOUND -> found++;
                case SAFE_ON_THIS_DATABASE -> accident++;
                case NOT_FOUND -> notFound++;
                case PASSES -> passes++;
                case FAILS -> fails++;
            }
        }
        return String.format(Locale.ROOT, "naive: %d lose a write, %d cannot on this database, %d not found; "
                + "safe: %d pass every schedule, %d fail", found, accident, notFound, passes, fails);
    }

    private static void indent(StringBuilder s, String text) {
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                s.append("    ").append(line);
            }
            s.append('\n');
        }
    }

    String json() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("url", url);
            g.writeNumberField("maxSchedules", ScenarioInterleaver.MAX_SCHEDULES);
            g.writeArrayFieldStart("scenarios");
            for (Explored e : explored) {
                Exploration x = e.exploration();
                g.writeStartObject();
                g.writeStringField("name", e.scenario().name());
                g.writeStringField("version", e.scenario().safe() ? "safe" : "naive");
                g.writeStringField("description", e.scenario().description());
                g.writeStringField("verdict", e.verdict().key);
                g.writeStringField("strategy", x.strategy());
                g.writeNumberField("schedules", x.schedules());
                g.writeBooleanField("complete", x.complete());
                g.writeNumberField("failedSchedules", x.failures().size());
                g.writeNumberField("elapsedMillis", x.elapsedNanos() / 1_000_000);
                g.writeStringField("safeByAccident", e.safeByAccident());
                OptionalInt number = ScenarioInterleaver.firstFailureNumber(x);
                if (number.isEmpty()) {
                    g.writeNullField("firstFailure");
                } else {
                    Run r = x.firstFailure().orElseThrow();
                    g.writeObjectFieldStart("firstFailure");
                    g.writeNumberField("number", number.getAsInt());
                    g.writeStringField("schedule", r.schedule().toString());
                    g.writeStringField("reason", r.failure());
                    g.writeStringField("outcome", r.outcome());
                    g.writeStringField("swimlane", r.trace().swimlane());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
