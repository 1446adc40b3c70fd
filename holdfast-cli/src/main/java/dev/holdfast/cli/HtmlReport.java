package dev.holdfast.cli;

import dev.holdfast.testkit.audit.Anomaly;
import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditResult;
import dev.holdfast.testkit.audit.Verdict;
import java.util.Locale;

/**
 * The audit as one self-contained HTML file (inline CSS, inline SVG, a few lines of inline script; nothing fetched):
 * the matrix, the differences from Hermitage, a swimlane diagram for each anomaly found, and every cell's trace.
 * The script opens a cell's trace when its matrix cell is clicked, and marks the page ready by setting
 * {@code data-ready="yes"} on {@code <html>} — a headless browser test reads that marker.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    private static final String STYLE = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1d2330; }
            h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
            .meta { color: #566; margin: 0 0 16px; }
            table.matrix { border-collapse: collapse; }
            table.matrix th, table.matrix td { border: 1px solid #cfd6e0; padding: 4px 7px; text-align: center; }
            table.matrix th.level { text-align: left; white-space: nowrap; }
            table.matrix td a { color: inherit; text-decoration: none; display: block; }
            td.anomaly { background: #f8d4d0; color: #8a1c10; font-weight: 600; }
            td.prevented { background: #dcf1de; color: #1c5a24; }
            td.differs { outline: 3px solid #6a3fb5; outline-offset: -3px; }
            .legend span { display: inline-block; margin-right: 16px; }
            .swatch { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; }
            details { margin: 6px 0; } summary { cursor: pointer; }
            .detail { margin: 4px 0 8px; }
            svg.swimlane { display: block; margin: 6px 0 18px; font-family: ui-monospace, Menlo, Consolas, monospace;
                           max-width: 100%; height: auto; }
            p.same { color: #445; font-style: italic; }
            svg .lane { fill: #f4f6f9; stroke: #d8dde5; }
            svg .lane-title { font: 600 14px system-ui, sans-serif; text-anchor: middle; fill: #1d2330; }
            svg .index { font-size: 12px; text-anchor: end; fill: #7a8494; }
            svg .step rect { fill: #ffffff; stroke: #8b97a8; }
            svg .step.blocked rect { fill: #ffe9b8; stroke: #c98a00; }
            svg .step.error rect { fill: #fbd3ce; stroke: #c0392b; }
            svg .step.skipped rect { fill: #eceff3; stroke: #b8c0cc; stroke-dasharray: 4 3; }
            svg .sql { font-size: 12px; fill: #1d2330; } svg .result { font-size: 12px; fill: #4a5566; }
            svg .step.error .result { fill: #a52714; }
            svg .wait { stroke: #c98a00; stroke-width: 3; stroke-dasharray: 6 4; }
            svg .wait-label { font-size: 11px; fill: #8a5d00; }
            footer { margin-top: 32px; color: #667; font-size: 12px; }
            """;

    /** Opens the trace a link points at: from the matrix, the differences, or a link into the file (report.html#cell-1-G0). */
    private static final String SCRIPT = """
            function openTrace() {
              var target = location.hash && document.getElementById(location.hash.slice(1));
              if (target && target.tagName === 'DETAILS') { target.open = true; target.scrollIntoView(); }
            }
            window.addEventListener('hashchange', openTrace);
            openTrace();
            document.documentElement.setAttribute('data-ready', 'yes');
            """;

    static String render(AuditResult r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Isolation audit: ").append(Html.escape(r.database())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>Isolation audit of ").append(Html.escape(r.database())).append("</h1>\n");
        h.append("<p class=\"meta\">").append(Html.escape(r.url())).append(" · ").append(r.cells().size())
                .append(" tests in ").append(String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0))
                .append(" · ").append(r.published() == null ? "Hermitage publishes no results for this database"
                        : "compared with " + Html.escape(r.published())).append("</p>\n");
        matrix(h, r);
        differences(h, r);
        h.append("<h2 id=\"anomalies\">Anomalies found</h2>\n");
        if (r.anomaliesFound().isEmpty()) {
            h.append("<p>None: every test was prevented at every level measured.</p>\n");
        }
        for (AuditCell c : r.anomaliesFound()) {
            if (sameAs(r, c.level()) != null) {
                continue;   // drawn once, under the level it is the same as
            }
            h.append("<h3>").append(Html.escape(c.level())).append(" — ").append(Html.escape(c.test())).append(": ")
                    .append(Html.escape(title(r, c.test()))).append("</h3>\n");
            h.append("<p class=\"detail\">").append(Html.escape(c.detail())).append("</p>\n");
            h.append(SwimlaneSvg.render(c));
        }
        h.append("<h2 id=\"traces\">Every test's trace</h2>\n");
        for (String level : r.levels()) {
            String same = sameAs(r, level);
            if (same != null) {
                h.append("<p class=\"same\" id=\"level-").append(r.levels().indexOf(level)).append("\">")
                        .append(Html.escape(level)).append(": same as ").append(Html.escape(same))
                        .append(" — every test ran and ended exactly as there (the database runs ")
                        .append(Html.escape(level)).append(" as ").append(Html.escape(same))
                        .append("); its traces are not repeated.</p>\n");
                continue;
            }
            for (Anomaly a : r.anomalies()) {
                AuditCell c = r.cell(a.name(), level);
                h.append("<details id=\"").append(id(r, c)).append("\"><summary>").append(Html.escape(level))
                        .append(" — ").append(Html.escape(a.name())).append(": ").append(words(c))
                        .append("</summary>\n<p class=\"detail\">").append(Html.escape(a.description()))
                        .append("<br>").append(Html.escape(c.detail())).append("</p>\n")
                        .append(SwimlaneSvg.render(c)).append("</details>\n");
            }
        }
        h.append("<footer>Tests from Hermitage by Martin Kleppmann (https://github.com/ept/hermitage), licensed CC BY "
                + "4.0; run and judged by Holdfast.</footer>\n");
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void matrix(StringBuilder h, AuditResult r) {
        h.append("<table class=\"matrix\">\n<tr><th></th>");
        for (Anomaly a : r.anomalies()) {
            h.append("<th title=\"").append(Html.escape(a.name() + ": " + a.title())).append("\">")
                    .append(Html.escape(a.code())).append("</th>");
        }
        h.append("</tr>\n");
        for (String level : r.levels()) {
            h.append("<tr><th class=\"level\">").append(Html.escape(level)).append("</th>");
            for (Anomaly a : r.anomalies()) {
                AuditCell c = r.cell(a.name(), level);
                h.append("<td class=\"").append(c.verdict() == Verdict.ANOMALY ? "anomaly" : "prevented")
                        .append(c.differsFromPublished() ? " differs" : "").append("\" title=\"")
                        .append(Html.escape(a.name() + " at " + level + ": " + c.detail())).append("\"><a href=\"#")
                        .append(id(r, c)).append("\">").append(symbol(c)).append("</a></td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"legend\">")
                .append("<span><i class=\"swatch\" style=\"background:#f8d4d0\"></i>✗ anomaly</span>")
                .append("<span><i class=\"swatch\" style=\"background:#dcf1de\"></i>✓ prevented, not visible</span>")
                .append("<span>✓ wait: prevented by a lock wait</span>")
                .append("<span>✓ abort: prevented by aborting a transaction</span>")
                .append(r.published() == null ? "" : "<span><i class=\"swatch\" style=\"outline:3px solid #6a3fb5;"
                        + "outline-offset:-3px\"></i>differs from Hermitage</span>")
                .append("</p>\n<p class=\"legend\">");
        for (Anomaly a : r.anomalies()) {
            h.append("<span><b>").append(Html.escape(a.code())).append("</b> ")
                    .append(a.code().equals(a.name()) ? "" : Html.escape(a.name()) + ", ")
                    .append(Html.escape(a.title())).append("</span>");
        }
        h.append("</p>\n");
    }

    private static void differences(StringBuilder h, AuditResult r) {
        if (r.published() == null) {
            return;
        }
        h.append("<h2 id=\"differences\">Differences from ").append(Html.escape(r.published())).append("</h2>\n");
        if (r.differences().isEmpty()) {
            h.append("<p>None: every cell matches the published table.</p>\n");
            return;
        }
        h.append("<ul>\n");
        for (AuditCell c : r.differences()) {
            h.append("<li><a href=\"#").append(id(r, c)).append("\">").append(Html.escape(c.level())).append(", ")
                    .append(Html.escape(c.test())).append("</a>: ").append(c.verdict() == Verdict.ANOMALY
                            ? "anomaly here, prevented in Hermitage" : "prevented here, an anomaly in Hermitage")
                    .append(". ").append(Html.escape(c.detail())).append("</li>\n");
        }
        h.append("</ul>\n");
    }

    private static String symbol(AuditCell c) {
        return switch (c.prevention()) {
            case NONE -> "✗";
            case NOT_VISIBLE -> "✓";
            case BLOCKED -> "✓ wait";
            case ABORTED -> "✓ abort";
        };
    }

    private static String words(AuditCell c) {
        return switch (c.prevention()) {
            case NONE -> "anomaly";
            case NOT_VISIBLE -> "prevented (not visible)";
            case BLOCKED -> "prevented (a step waited)";
            case ABORTED -> "prevented (a transaction aborted)";
        } + (c.differsFromPublished() ? ", differs from Hermitage" : "");
    }

    private static String title(AuditResult r, String test) {
        return r.anomalies().stream().filter(a -> a.name().equals(test)).map(Anomaly::title).findFirst().orElse("");
    }

    /** The anchor of a cell's trace; a cell of a level that is the same as an earlier one links to that one's. */
    private static String id(AuditResult r, AuditCell c) {
        String same = sameAs(r, c.level());
        return "cell-" + r.levels().indexOf(same != null ? same : c.level()) + "-" + c.test();
    }

    /**
     * The stronger level this one behaves exactly like — the same verdict, the same way of preventing, the same steps
     * with the same results in every test (PostgreSQL runs READ UNCOMMITTED as READ COMMITTED) — or {@code null}.
     */
    static String sameAs(AuditResult r, String level) {
        java.util.List<String> levels = r.levels();
        String same = null;
        for (int i = levels.indexOf(level) + 1; i < levels.size(); i++) {
            String stronger = levels.get(i);
            for (Anomaly a : r.anomalies()) {
                AuditCell x = r.cell(a.name(), stronger);
                AuditCell y = r.cell(a.name(), level);
                if (x.verdict() != y.verdict() || x.prevention() != y.prevention() || !steps(x).equals(steps(y))) {
                    return same;
                }
            }
            same = stronger;
        }
        return same;
    }

    private static java.util.List<String> steps(AuditCell c) {
        return c.trace().stream().map(s -> s.session() + "|" + s.sql() + "|" + s.status() + "|" + s.result() + "|"
                + s.blocked() + "|" + s.resumedAfter()).toList();
    }
}
