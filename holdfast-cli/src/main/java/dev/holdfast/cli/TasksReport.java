package dev.holdfast.cli;

import dev.holdfast.tasks.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The task list of {@code holdfast tasks}, as text with ASCII progress bars or as one self-contained HTML page. */
final class TasksReport {
    static final int BAR = 20;

    private TasksReport() {
    }

    static String text(List<TaskStatus> tasks, Instant now) {
        if (tasks.isEmpty()) {
            return "No tasks.\n";
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-36s  %-16s  %-10s  %-27s  %-11s  %-3s  %-24s  %s%n", "ID", "TYPE",
                "STATE", "PROGRESS", "DONE/TOTAL", "TRY", "WORKER (HEARTBEAT)", "MESSAGE / ERROR"));
        for (TaskStatus t : tasks) {
            s.append(String.format(Locale.ROOT, "%-36s  %-16s  %-10s  %-27s  %-11s  %3d  %-24s  %s%n", t.id(),
                    cut(t.type(), 16), t.state() + (t.stopRequested() != null ? "*" : ""), bar(t),
                    t.done() + "/" + t.total(), t.attempts(), worker(t, now), note(t)));
        }
        if (tasks.stream().anyMatch(t -> t.stopRequested() != null)) {
            s.append("* a pause or cancel was requested; the task obeys it at its next checkpoint\n");
        }
        return s.toString();
    }

    /** {@code [#########...........]  45%}, or {@code [?]} when the total is unknown. */
    static String bar(TaskStatus t) {
        return t.fraction().map(f -> {
            int filled = (int) Math.round(f * BAR);
            return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]" + String.format(Locale.ROOT, "%4d%%",
                    Math.round(f * 100));
        }).orElse("[" + " ".repeat(BAR) + "]    ?");
    }

    static String html(List<TaskStatus> tasks, String url, Instant now) {
        StringBuilder s = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>holdfast tasks</title>
                <style>
                body{font:14px system-ui,sans-serif;margin:2em;color:#222}
                table{border-collapse:collapse;width:100%}
                th,td{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
                th{background:#f4f4f4}
                code{font-size:12px}
                .bar{width:160px;height:12px;background:#eee;border-radius:6px;overflow:hidden;display:inline-block}
                .fill{height:100%;background:#3b82f6}
                .SUCCEEDED .fill{background:#16a34a}.FAILED .fill{background:#dc2626}
                .CANCELLED .fill,.PAUSED .fill{background:#9ca3af}
                .state{font-weight:600}.FAILED .state{color:#dc2626}.SUCCEEDED .state{color:#16a34a}
                .err{color:#dc2626}
                </style></head><body>
                """);
        s.append("<h1>Tasks</h1><p>").append(Html.escape(url)).append(" &middot; read ").append(now)
                .append(" &middot; ").append(tasks.size()).append(" task(s)</p>\n");
        if (tasks.isEmpty()) {
            s.append("<p>No tasks.</p>\n");
        } else {
            s.append("<table><tr><th>id</th><th>type</th><th>state</th><th>progress</th><th>attempts</th>"
                    + "<th>worker (heartbeat)</th><th>message / error</th></tr>\n");
            for (TaskStatus t : tasks) {
                double f = t.fraction().orElse(0.0);
                s.append("<tr class=\"").append(t.state()).append("\"><td><code>").append(Html.escape(t.id().value()))
                        .append("</code>").append(t.parent() == null ? "" : "<br><small>part of <code>"
                                + Html.escape(t.parent().value()) + "</code></small>")
                        .append("</td><td>").append(Html.escape(t.type())).append("</td><td class=\"state\">")
                        .append(t.state()).append(t.stopRequested() == null ? "" : " (" + Html.escape(
                                t.stopRequested().toLowerCase(Locale.ROOT)) + " requested)")
                        .append("</td><td><span class=\"bar\" title=\"").append(t.done()).append(" / ")
                        .append(t.total()).append("\"><span class=\"fill\" style=\"width:")
                        .append(String.format(Locale.ROOT, "%.1f", f * 100)).append("%\"></span></span> ")
                        .append(t.fraction().isPresent() ? Math.round(f * 100) + "%" : "?").append(" <small>")
                        .append(t.done()).append('/').append(t.total()).append("</small></td><td>")
                        .append(t.attempts()).append("</td><td>").append(Html.escape(worker(t, now)))
                        .append("</td><td").append(t.error() != null && t.message() == null ? " class=\"err\"" : "")
                        .append('>').append(Html.escape(note(t))).append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        return s.append("</body></html>\n").toString();
    }

    private static String worker(TaskStatus t, Instant now) {
        if (t.worker() == null) {
            return "-";
        }
        if (t.lastHeartbeat() == null) {
            return t.worker();
        }
        long ago = Math.max(0, Duration.between(t.lastHeartbeat(), now).toSeconds());
        return cut(t.worker(), 16) + " (" + ago + "s ago)";
    }

    private static String note(TaskStatus t) {
        if (t.error() != null && (t.message() == null || t.state().name().equals("FAILED"))) {
            return t.error();
        }
        return t.message() == null ? "" : t.message();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "~";
    }
}
