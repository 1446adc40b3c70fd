package dev.holdfast.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.holdfast.testkit.detect.Finding;
import dev.holdfast.testkit.detect.RecordedStatement;
import dev.holdfast.testkit.detect.Report;
import java.io.IOException;

/** The three forms of {@code holdfast detect}'s report: the kit's text, a stable JSON document, one HTML page. */
final class DetectReport {
    static final String NO_CATALOGUE = "Without --url the unique keys are unknown: a check-then-insert may be backed by "
            + "a constraint this report cannot see.";

    private DetectReport() {}

    static String text(Report report, String source, boolean catalogue) {
        StringBuilder b = new StringBuilder();
        b.append("Source: ").append(source).append('\n');
        b.append(report.toText());
        if (!catalogue) {
            b.append(NO_CATALOGUE).append('\n');
        }
        return b.toString();
    }

    /**
     * <pre>{@code
     * {"source": "...", "transactions": 28, "catalogue": true,
     *  "findings": [{"kind": "LOST_UPDATE", "status": "SUSPECTED", "database": "POSTGRES",
     *                "isolation": "READ COMMITTED", "tables": ["account"], "occurrences": 14, "session": "pid 4242",
     *                "reason": "...", "statements": [{"sql": "...", "parameters": ["1"]}], "schedule": null}],
     *  "unparsed": ["..."]}
     * }</pre>
     */
    static String json(Report report, String source, boolean catalogue) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeNumberField("transactions", report.transactions());
            g.writeBooleanField("catalogue", catalogue);
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) {
                finding(g, f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("unparsed");
            for (String u : report.unparsed()) {
                g.writeString(u);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", f.kind().name());
        g.writeStringField("status", f.status().name());
        g.writeStringField("database", f.database() == null ? null : f.database().name());
        g.writeStringField("isolation", f.isolation());
        g.writeArrayFieldStart("tables");
        for (String t : f.tables().stream().sorted().toList()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeNumberField("occurrences", f.occurrences());
        g.writeStringField("session", f.transaction() == null ? null : f.transaction().session());
        g.writeStringField("reason", f.reason());
        g.writeArrayFieldStart("statements");
        for (RecordedStatement s : f.statements()) {
            g.writeStartObject();
            g.writeStringField("sql", s.sql());
            g.writeArrayFieldStart("parameters");
            for (Object p : s.parameters()) {
                if (p == null) {
                    g.writeNull();
                } else {
                    g.writeString(String.valueOf(p));
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("schedule", f.schedule());
        g.writeEndObject();
    }

    static String html(Report report, String source, boolean catalogue) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>holdfast detect: ")
                .append(Html.escape(source)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                        + "pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}.SUSPECTED{color:#a60}.PROVED{color:#b00}"
                        + ".NOT_REPRODUCED{color:#555}</style></head><body>\n");
        b.append("<h1>Race detector</h1>\n<p>").append(Html.escape(source)).append(": ").append(report.transactions())
                .append(" transactions, ").append(report.findings().size()).append(" findings.</p>\n");
        if (!catalogue) {
            b.append("<p>").append(Html.escape(NO_CATALOGUE)).append("</p>\n");
        }
        for (Finding f : report.findings()) {
            b.append("<h2>").append(f.kind()).append(" <span class=\"").append(f.status()).append("\">").append(f.status())
                    .append("</span></h2>\n<p>").append(Html.escape(f.database() + " at " + f.isolation() + ", tables "
                            + f.tables() + (f.occurrences() > 1 ? ", seen " + f.occurrences() + " times" : "")))
                    .append("</p>\n<p>").append(Html.escape(f.reason())).append("</p>\n<pre>");
            for (RecordedStatement s : f.statements()) {
                b.append(Html.escape(s.toString())).append('\n');
            }
            b.append("</pre>\n");
            if (f.schedule() != null) {
                b.append("<p>Failing schedule: <code>").append(Html.escape(f.schedule())).append("</code></p>\n");
            }
        }
        if (!report.unparsed().isEmpty()) {
            b.append("<h2>Not parsed</h2>\n<pre>");
            report.unparsed().forEach(u -> b.append(Html.escape(u)).append('\n'));
            b.append("</pre>\n");
        }
        return b.append("</body></html>\n").toString();
    }
}
