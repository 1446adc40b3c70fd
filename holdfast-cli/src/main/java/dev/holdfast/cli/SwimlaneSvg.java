package dev.holdfast.cli;

import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditStep;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell's trace as an inline SVG swimlane: a lane per transaction, time running down, one box per step with its
 * statement and result. A step that waited for a lock is amber with a dashed bar down to the step after which it went
 * on; a step that failed is red; a step not sent (its transaction had failed) is grey. The lanes share the report's
 * width, and long SQL and results wrap onto further lines of their box rather than being cut.
 */
final class SwimlaneSvg {
    private static final int GUTTER = 40;
    /** The width the lanes share: a report page at a common laptop width, whatever the number of lanes. */
    private static final int WIDTH = 1180;
    private static final int HEADER = 34;
    private static final int GAP = 8;
    private static final int LINE = 15;
    private static final double CHAR_WIDTH = 7.3;   // 12px monospace

    private SwimlaneSvg() {
    }

    static String render(AuditCell c) {
        int lanes = Math.max(1, c.sessions().size());
        int lane = (WIDTH - GUTTER - 10) / lanes;
        int chars = (int) ((lane - 46) / CHAR_WIDTH);
        // Every step gets the height its wrapped SQL and result need; steps run down in trace order.
        int n = c.trace().size();
        List<List<String>> sql = new ArrayList<>(n);
        List<List<String>> results = new ArrayList<>(n);
        int[] top = new int[n + 1];
        int[] box = new int[n];
        top[0] = HEADER;
        for (int i = 0; i < n; i++) {
            AuditStep step = c.trace().get(i);
            sql.add(wrap(step.sql(), chars));
            results.add(wrap((step.blocked() ? "waited for a lock; " : "") + "→ " + step.result(), chars));
            box[i] = 10 + LINE * (sql.get(i).size() + results.get(i).size());
            top[i + 1] = top[i] + box[i] + GAP;
        }
        int width = GUTTER + lanes * lane + 10;
        int height = top[n] + 12;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"swimlane\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.escape(c.test() + " at "
                        + c.level())).append("\">\n");
        for (int i = 0; i < c.sessions().size(); i++) {
            int x = GUTTER + i * lane;
            s.append("<rect x=\"").append(x + 2).append("\" y=\"2\" width=\"").append(lane - 6)
                    .append("\" height=\"").append(height - 4).append("\" rx=\"6\" class=\"lane\"/>\n");
            s.append("<text x=\"").append(x + lane / 2).append("\" y=\"22\" class=\"lane-title\">")
                    .append(Html.escape(c.sessions().get(i))).append("</text>\n");
        }
        for (int i = 0; i < n; i++) {
            AuditStep step = c.trace().get(i);
            int x = GUTTER + c.sessions().indexOf(step.session()) * lane + 10;
            int y = top[i];
            if (step.blocked()) {
                int until = step.resumedAfter() > 0 ? Math.min(step.resumedAfter(), n) : n;
                int y2 = top[until - 1] + box[until - 1] / 2;
                s.append("<line x1=\"").append(x + 4).append("\" y1=\"").append(y + box[i]).append("\" x2=\"")
                        .append(x + 4).append("\" y2=\"").append(y2).append("\" class=\"wait\"/>\n");
                s.append("<text x=\"").append(x + 10).append("\" y=\"").append(y2 + 4).append("\" class=\"wait-label\">")
                        .append(step.resumedAfter() > 0 ? "went on after step " + step.resumedAfter()
                                : "still waiting: cancelled").append("</text>\n");
            }
            String kind = step.status() == AuditStep.Status.ERROR ? "error"
                    : step.status() == AuditStep.Status.SKIPPED || step.status() == AuditStep.Status.CANCELLED
                    ? "skipped" : step.blocked() ? "blocked" : "ok";
            s.append("<g class=\"step ").append(kind).append("\"><title>").append(Html.escape(step.toString()))
                    .append("</title>\n");
            s.append("<text x=\"").append(GUTTER - 8).append("\" y=\"").append(y + 16).append("\" class=\"index\">")
                    .append(step.index()).append("</text>\n");
            s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(lane - 26)
                    .append("\" height=\"").append(box[i]).append("\" rx=\"4\"/>\n");
            int line = y + 16;
            for (String text : sql.get(i)) {
                s.append("<text x=\"").append(x + 8).append("\" y=\"").append(line).append("\" class=\"sql\">")
                        .append(Html.escape(text)).append("</text>\n");
                line += LINE;
            }
            for (String text : results.get(i)) {
                s.append("<text x=\"").append(x + 8).append("\" y=\"").append(line).append("\" class=\"result\">")
                        .append(Html.escape(text)).append("</text>\n");
                line += LINE;
            }
            s.append("</g>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** The text on lines of at most {@code chars} characters, broken at spaces where it can be; nothing is cut. */
    static List<String> wrap(String text, int chars) {
        String rest = text.replaceAll("\\s+", " ").strip();
        List<String> lines = new ArrayList<>();
        while (rest.length() > chars) {
            int cut = rest.lastIndexOf(' ', chars);
            if (cut <= chars / 2) {
                cut = chars;   // one long word: break inside it
            }
            lines.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        lines.add(rest);
        return lines;
    }
}
