package dev.holdfast.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened in one run, step by step, as data ({@link #steps()}) and as a text swimlane ({@link #swimlane()}):
 * one column per actor, one row per step, the SQL, its values, its result or error, and where it waited.
 *
 * <pre>{@code
 * Run run = interleaver.run(Schedule.parse("A B A B A B"));
 * System.out.println(run.trace().swimlane());
 * }</pre>
 *
 * @param actors the actors' names, in the order they were declared (the swimlane's columns)
 * @param steps  the steps in the order they were let through
 */
public record Trace(List<String> actors, List<Step> steps) {
    private static final int WIDTH = 46;

    public Trace {
        actors = List.copyOf(actors);
        steps = List.copyOf(steps);
    }

    /** The steps of one actor, in order. */
    public List<Step> stepsOf(String actor) {
        return steps.stream().filter(s -> s.actor().equals(actor)).toList();
    }

    /** True when some step waited on a lock, on SQLite's busy signal, or hit the last-resort timeout. */
    public boolean anyBlocked() {
        return steps.stream().anyMatch(Step::blocked);
    }

    /**
     * The trace as a text table, one column per actor:
     *
     * <pre>
     *  #  | A                                      | B
     * ----+----------------------------------------+----------------------------------------
     *  1  | select n from counter where id = ? [1] |
     *     |   → (0)                                |
     *  2  |                                        | select n from counter where id = ? [1]
     * </pre>
     */
    public String swimlane() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add(" #  ");
        for (String a : actors) {
            header.add(" " + pad(a, WIDTH) + " ");
        }
        line(out, header);
        StringBuilder rule = new StringBuilder("----");
        for (int i = 0; i < actors.size(); i++) {
            rule.append('+').append("-".repeat(WIDTH + 2));
        }
        out.append(rule.toString().stripTrailing()).append('\n');
        for (Step s : steps) {
            int column = actors.indexOf(s.actor());
            List<String> lines = wrap(s.sql() + (s.parameters().isEmpty() ? "" : " " + s.parameters()));
            lines.addAll(wrap("  → " + s.result()));
            switch (s.waited()) {
                case LOCK -> lines.add("  ⏸ waited on a lock" + (s.resumedAfter() > 0
                        ? "; went on after step " + s.resumedAfter() : "; still waiting at the end"));
                case BUSY -> lines.add("  ⏸ SQLITE_BUSY: runs again later");
                case TIMEOUT -> lines.add("  ⏸ no progress, no lock wait seen: last-resort timeout");
                case NONE -> { }
            }
            for (int l = 0; l < lines.size(); l++) {
                List<String> cells = new ArrayList<>();
                cells.add(l == 0 ? pad(" " + s.index(), 4) : "    ");
                for (int c = 0; c < actors.size(); c++) {
                    cells.add(" " + pad(c == column ? lines.get(l) : "", WIDTH) + " ");
                }
                line(out, cells);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append(String.join("|", cells).stripTrailing()).append('\n');
    }

    private static List<String> wrap(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        List<String> lines = new ArrayList<>();
        while (oneLine.length() > WIDTH) {
            int cut = oneLine.lastIndexOf(' ', WIDTH);
            if (cut <= 4) {
                cut = WIDTH;
            }
            lines.add(oneLine.substring(0, cut));
            oneLine = "    " + oneLine.substring(cut).strip();
        }
        lines.add(oneLine);
        return lines;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    @Override
    public String toString() {
        return swimlane();
    }
}
