package dev.holdfast.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.holdfast.testkit.audit.Anomaly;
import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditResult;
import dev.holdfast.testkit.audit.AuditStep;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The audit as JSON, format {@code holdfast-audit/1}, documented field by field in docs/audit.md. Fields are only ever
 * added within a format version; enum values are lower case.
 */
final class JsonReport {
    static final String FORMAT = "holdfast-audit/1";

    private JsonReport() {
    }

    static String render(AuditResult r) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("database", r.database());
            g.writeStringField("url", r.url());
            g.writeStringField("published", r.published());
            g.writeNumberField("elapsedMillis", r.elapsed().toMillis());
            strings(g, "levels", r.levels());
            g.writeArrayFieldStart("tests");
            for (Anomaly a : r.anomalies()) {
                g.writeStartObject();
                g.writeStringField("name", a.name());
                g.writeStringField("code", a.code());
                g.writeStringField("title", a.title());
                g.writeStringField("description", a.description());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("cells");
            for (AuditCell c : r.cells()) {
                cell(g, c);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void cell(JsonGenerator g, AuditCell c) throws IOException {
        g.writeStartObject();
        g.writeStringField("test", c.test());
        g.writeStringField("level", c.level());
        g.writeStringField("verdict", lower(c.verdict()));
        g.writeStringField("prevention", lower(c.prevention()));
        g.writeStringField("detail", c.detail());
        g.writeStringField("published", c.published() == null ? null : lower(c.published()));
        g.writeBooleanField("differsFromPublished", c.differsFromPublished());
        strings(g, "sessions", c.sessions());
        g.writeArrayFieldStart("trace");
        for (AuditStep s : c.trace()) {
            g.writeStartObject();
            g.writeNumberField("index", s.index());
            g.writeStringField("session", s.session());
            g.writeStringField("sql", s.sql());
            g.writeStringField("status", lower(s.status()));
            g.writeStringField("result", s.result());
            g.writeBooleanField("blocked", s.blocked());
            g.writeNumberField("resumedAfter", s.resumedAfter());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
