package dev.holdfast.cli;

import dev.holdfast.testkit.audit.Anomaly;
import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditResult;
import dev.holdfast.testkit.audit.AuditStep;
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
        StringBuilder j = new StringBuilder();
        j.append("{\n");
        field(j, 1, "format", FORMAT).append(",\n");
        field(j, 1, "database", r.database()).append(",\n");
        field(j, 1, "url", r.url()).append(",\n");
        field(j, 1, "published", r.published()).append(",\n");
        indent(j, 1).append("\"elapsedMillis\": ").append(r.elapsed().toMillis()).append(",\n");
        indent(j, 1).append("\"levels\": ").append(strings(r.levels())).append(",\n");
        indent(j, 1).append("\"tests\": [\n");
        for (int i = 0; i < r.anomalies().size(); i++) {
            Anomaly a = r.anomalies().get(i);
            indent(j, 2).append('{');
            field(j, 0, "name", a.name()).append(", ");
            field(j, 0, "code", a.code()).append(", ");
            field(j, 0, "title", a.title()).append(", ");
            field(j, 0, "description", a.description()).append('}');
            j.append(i < r.anomalies().size() - 1 ? ",\n" : "\n");
        }
        indent(j, 1).append("],\n");
        indent(j, 1).append("\"cells\": [\n");
        for (int i = 0; i < r.cells().size(); i++) {
            cell(j, r.cells().get(i));
            j.append(i < r.cells().size() - 1 ? ",\n" : "\n");
        }
        indent(j, 1).append("]\n");
        j.append("}\n");
        return j.toString();
    }

    private static void cell(StringBuilder j, AuditCell c) {
        indent(j, 2).append("{\n");
        field(j, 3, "test", c.test()).append(",\n");
        field(j, 3, "level", c.level()).append(",\n");
        field(j, 3, "verdict", lower(c.verdict())).append(",\n");
        field(j, 3, "prevention", lower(c.prevention())).append(",\n");
        field(j, 3, "detail", c.detail()).append(",\n");
        field(j, 3, "published", c.published() == null ? null : lower(c.published())).append(",\n");
        indent(j, 3).append("\"differsFromPublished\": ").append(c.differsFromPublished()).append(",\n");
        indent(j, 3).append("\"sessions\": ").append(strings(c.sessions())).append(",\n");
        indent(j, 3).append("\"trace\": [\n");
        for (int i = 0; i < c.trace().size(); i++) {
            AuditStep s = c.trace().get(i);
            indent(j, 4).append("{\"index\": ").append(s.index()).append(", ");
            field(j, 0, "session", s.session()).append(", ");
            field(j, 0, "sql", s.sql()).append(", ");
            field(j, 0, "status", lower(s.status())).append(", ");
            field(j, 0, "result", s.result()).append(", ");
            j.append("\"blocked\": ").append(s.blocked()).append(", ");
            j.append("\"resumedAfter\": ").append(s.resumedAfter()).append('}');
            j.append(i < c.trace().size() - 1 ? ",\n" : "\n");
        }
        indent(j, 3).append("]\n");
        indent(j, 2).append('}');
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static StringBuilder field(StringBuilder j, int depth, String name, String value) {
        indent(j, depth).append('"').append(name).append("\": ");
        return value == null ? j.append("null") : quote(j, value);
    }

    private static String strings(List<String> values) {
        StringBuilder j = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            quote(j, values.get(i));
            if (i < values.size() - 1) {
                j.append(", ");
            }
        }
        return j.append(']').toString();
    }

    private static StringBuilder indent(StringBuilder j, int depth) {
        return j.append("  ".repeat(depth));
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static StringBuilder quote(StringBuilder j, String s) {
        j.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> j.append("\\\"");
                case '\\' -> j.append("\\\\");
                case '\n' -> j.append("\\n");
                case '\r' -> j.append("\\r");
                case '\t' -> j.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        j.append(String.format("\\u%04x", (int) ch));
                    } else {
                        j.append(ch);
                    }
                }
            }
        }
        return j.append('"');
    }
}
