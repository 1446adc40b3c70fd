package dev.holdfast.cli;

import dev.holdfast.testkit.audit.Anomaly;
import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditResult;
import dev.holdfast.testkit.audit.Verdict;
import java.util.Locale;

/** The audit as plain ASCII text: the matrix, its legend, the differences from Hermitage and the anomalies found. */
final class TextReport {
    private TextReport() {
    }

    static String render(AuditResult r) {
        StringBuilder out = new StringBuilder();
        out.append("Isolation audit of ").append(r.database()).append(" at ").append(r.url()).append('\n');
        out.append(r.cells().size()).append(" tests in ")
                .append(String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0))
                .append(r.published() == null ? "; Hermitage publishes no results for this database"
                        : "; compared with " + r.published())
                .append(".\n\n");
        int labelWidth = r.levels().stream().mapToInt(String::length).max().orElse(10) + 2;
        out.append(" ".repeat(labelWidth));
        for (Anomaly a : r.anomalies()) {
            out.append(pad(a.code(), width(a)));
        }
        out.append('\n');
        for (String level : r.levels()) {
            out.append(pad(level, labelWidth));
            for (Anomaly a : r.anomalies()) {
                out.append(pad(symbol(r.cell(a.name(), level)), width(a)));
            }
            out.append('\n');
        }
        out.append('\n');
        out.append("  ANOM  anomaly: the database let it happen\n");
        out.append("  ok    prevented: the other transaction's write was not visible\n");
        out.append("  blk   prevented by blocking: a step waited for another transaction's lock\n");
        out.append("  abt   prevented by aborting a transaction with an error\n");
        if (r.published() != null) {
            out.append("  *     differs from Hermitage's published result\n");
        }
        out.append('\n');
        for (Anomaly a : r.anomalies()) {
            out.append(pad("  " + a.code(), 9)).append(a.name()).append(": ").append(a.title()).append('\n');
        }
        if (r.published() != null) {
            out.append("\nDifferences from ").append(r.published()).append(":\n");
            if (r.differences().isEmpty()) {
                out.append("  none: every cell matches the published table\n");
            }
            for (AuditCell c : r.differences()) {
                out.append("  ").append(c.level()).append(", ").append(c.test()).append(": ")
                        .append(word(c.verdict())).append(" here, ").append(word(c.published()))
                        .append(" in Hermitage. ").append(c.detail()).append('\n');
            }
        }
        out.append("\nAnomalies found:\n");
        if (r.anomaliesFound().isEmpty()) {
            out.append("  none\n");
        }
        for (AuditCell c : r.anomaliesFound()) {
            out.append("  ").append(c.level()).append(", ").append(c.test()).append(": ").append(c.detail())
                    .append('\n');
        }
        out.append("\nEach cell's steps: --format html (swimlane diagrams) or --format json (\"trace\").\n");
        return out.toString();
    }

    static String symbol(AuditCell c) {
        String s = switch (c.prevention()) {
            case NONE -> "ANOM";
            case NOT_VISIBLE -> "ok";
            case BLOCKED -> "blk";
            case ABORTED -> "abt";
        };
        return c.differsFromPublished() ? s + "*" : s;
    }

    private static String word(Verdict v) {
        return v == Verdict.ANOMALY ? "anomaly" : "prevented";
    }

    private static int width(Anomaly a) {
        return Math.max(6, a.code().length() + 2);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
