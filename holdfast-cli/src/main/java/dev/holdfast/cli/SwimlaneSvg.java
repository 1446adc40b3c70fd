package dev.holdfast.cli;

import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditStep;

/**
 * One cell's trace as an inline SVG swimlane: a lane per transaction, time running down, one box per step with its
 * statement and result. A step that waited for a lock is amber with a dashed bar down to the step after which it went
 * on; a step that failed is red; a step not sent (its transaction had failed) is grey.
 */
final class SwimlaneSvg {
    private static final int GUTTER = 40;
    private static final int LANE = 330;
    private static final int HEADER = 34;
    private static final int ROW = 48;
    private static final int BOX = 40;
    private static final int CHARS = 40;

    private SwimlaneSvg() {
    }

    static String render(AuditCell c) {
        int lanes = c.sessions().size();
        int width = GUTTER + lanes * LANE + 10;
        int height = HEADER + c.trace().size() * ROW + 12;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"swimlane\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.escape(c.test() + " at "
                        + c.level())).append("\">\n");
        for (int i = 0; i < lanes; i++) {
            int x = GUTTER + i * LANE;
            s.append("<rect x=\"").append(x + 2).append("\" y=\"2\" width=\"").append(LANE - 6)
                    .append("\" height=\"").append(height - 4).append("\" rx=\"6\" class=\"lane\"/>\n");
            s.append("<text x=\"").append(x + LANE / 2).append("\" y=\"22\" class=\"lane-title\">")
                    .append(Html.escape(c.sessions().get(i))).append("</text>\n");
        }
        for (AuditStep step : c.trace()) {
            int lane = c.sessions().indexOf(step.session());
            int x = GUTTER + lane * LANE + 10;
            int y = HEADER + (step.index() - 1) * ROW;
            if (step.blocked()) {
                int until = step.resumedAfter() > 0 ? step.resumedAfter() : c.trace().size();
                int y2 = HEADER + (until - 1) * ROW + BOX / 2;
                s.append("<line x1=\"").append(x + 4).append("\" y1=\"").append(y + BOX).append("\" x2=\"")
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
            s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(LANE - 26)
                    .append("\" height=\"").append(BOX).append("\" rx=\"4\"/>\n");
            s.append("<text x=\"").append(x + 8).append("\" y=\"").append(y + 16).append("\" class=\"sql\">")
                    .append(Html.escape(cut(step.sql()))).append("</text>\n");
            String result = (step.blocked() ? "waited for a lock; " : "") + "→ " + step.result();
            s.append("<text x=\"").append(x + 8).append("\" y=\"").append(y + 32).append("\" class=\"result\">")
                    .append(Html.escape(cut(result))).append("</text>\n");
            s.append("</g>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= CHARS ? oneLine : oneLine.substring(0, CHARS - 1) + "…";
    }
}
