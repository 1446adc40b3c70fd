package dev.holdfast.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One benchmark's JMH results ({@code -rf csv}), in the order JMH wrote them. */
final class Results {

    /** One JMH score: mean and its 99.9% interval (half-width; NaN with a single sample). */
    record Score(String benchmark, String mode, int threads, double value, double error, String unit,
                 Map<String, String> params) {

        /** The method (or method:secondary, e.g. {@code increment} or {@code commit:p0.99}). */
        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        String param(String name) {
            return params.getOrDefault(name, "");
        }

        /** True when the interval is 10% of the score or more, or unknown: the score cannot be quoted as it is. */
        boolean wide() {
            return Double.isNaN(error) || error >= 0.10 * Math.abs(value);
        }

        /** {@code 12,345 ± 678}, marked {@code ±>10%} when {@link #wide()}. */
        String show() {
            if (Double.isNaN(error)) {
                return fmt(value) + " (one sample, no interval)";
            }
            return fmt(value) + " ± " + fmt(error) + (wide() ? " **±>10%**" : "");
        }
    }

    final List<Score> scores = new ArrayList<>();

    static Results read(Path csv) throws IOException {
        Results r = new Results();
        if (!Files.exists(csv)) {
            return r;
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return r;
        }
        List<String> header = split(lines.get(0));
        int bench = header.indexOf("Benchmark");
        int mode = header.indexOf("Mode");
        int threads = header.indexOf("Threads");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).startsWith("Param: ") && i < f.size() && !f.get(i).isEmpty()) {
                    params.put(header.get(i).substring("Param: ".length()), f.get(i));
                }
            }
            r.scores.add(new Score(f.get(bench), f.get(mode), (int) number(f.get(threads)), number(f.get(score)),
                    number(f.get(error)), f.get(unit), params));
        }
        return r;
    }

    /** The score of {@code method} whose params include all of {@code params} (name, value, name, value...). */
    Score find(String method, String... params) {
        outer:
        for (Score s : scores) {
            if (!s.method().equals(method)) {
                continue;
            }
            for (int i = 0; i < params.length; i += 2) {
                if (!params[i + 1].equals(s.param(params[i]))) {
                    continue outer;
                }
            }
            return s;
        }
        return null;
    }

    static String show(Score s) {
        return s == null ? "—" : s.show();
    }

    static String ratio(Score a, Score b) {
        return a == null || b == null ? "—" : String.format(Locale.ROOT, "%.2f×", a.value() / b.value());
    }

    static String fmt(double v) {
        double abs = Math.abs(v);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return abs >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** One line of JMH's CSV: comma-separated, fields in double quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
