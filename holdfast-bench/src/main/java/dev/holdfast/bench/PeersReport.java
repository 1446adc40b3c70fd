package dev.holdfast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one run of {@link PeersBenchmark}, {@link ChangeVariantsBenchmark} and {@link CounterBenchmark} into the
 * Markdown tables of docs/BENCHMARKS.md, ratios included, so that no number in the doc is copied by hand.
 *
 * <pre>
 * java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.PeersReport jmh.csv counter.tsv
 * </pre>
 *
 * The first file is JMH's {@code -rf csv} output; the second is what {@link CounterBenchmark} appended.
 */
public final class PeersReport {
    private static final String[] DBS = {"postgres", "mariadb", "sqlite"};
    private static final String[] LIBS = {"jdbc", "holdfast", "hibernate", "jdbi"};
    private static final String[] WAYS = {"jdbc-naive", "jdbc-atomic", "jdbc-forUpdate", "holdfast-modify",
            "holdfast-atomic", "holdfast-apply", "holdfast-execute", "hibernate-naive", "hibernate-version", "hibernate-pessimistic", "jdbi-naive",
            "jdbi-atomic"};

    /** One JMH score. */
    record Score(double value, double error) {
        String show() {
            return Double.isNaN(error) ? fmt(value) : fmt(value) + " ± " + fmt(error);
        }
    }

    /** One counter trial's check of the database against the acknowledged increments. */
    record Check(long acknowledged, long applied, long lost, long errors, long retries, double seconds) {
    }

    private final Map<String, Score> scores = new LinkedHashMap<>();   // "method|db|lib-or-way"
    private final Map<String, Check> checks = new LinkedHashMap<>();   // "db|way"

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PeersReport <jmh results .csv> <counter results .tsv>");
            System.exit(2);
        }
        PeersReport r = new PeersReport();
        r.readJmh(Path.of(args[0]));
        if (Files.exists(Path.of(args[1]))) {
            r.readCounter(Path.of(args[1]));
        }
        System.out.print(r.render());
    }

    void readJmh(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = split(lines.get(0));
        int bench = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int db = header.indexOf("Param: db");
        int lib = header.indexOf("Param: lib");
        int way = header.indexOf("Param: way");
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = split(line);
            String name = f.get(bench);
            String method = name.substring(name.lastIndexOf('.') + 1);   // lib and way values never collide
            String who = lib >= 0 && !f.get(lib).isEmpty() ? f.get(lib) : f.get(way);
            scores.put(method + "|" + f.get(db) + "|" + who,
                    new Score(Double.parseDouble(f.get(score)), parse(f.get(error))));
        }
    }

    void readCounter(Path tsv) throws IOException {
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length < 8) {
                continue;
            }
            checks.put(f[0] + "|" + f[1], new Check(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Double.parseDouble(f[7])));
        }
    }

    String render() {
        StringBuilder out = new StringBuilder();
        single(out, "get", "Get one row by id");
        single(out, "insert", "Insert one row (generated id returned)");
        single(out, "insertBatch1000", "Insert 1,000 rows in one transaction (ops/s × 1,000 = rows/s)");
        single(out, "change", "Change one column of one row in a transaction, idiomatic way");
        changeVariants(out);
        counter(out);
        return out.toString();
    }

    private void single(StringBuilder out, String method, String title) {
        out.append("\n#### ").append(title).append(" (ops/s, ratio to raw JDBC)\n\n");
        out.append("| database | raw JDBC | Holdfast | Hibernate | Jdbi | Holdfast ÷ Hibernate | Holdfast ÷ Jdbi |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (String db : DBS) {
            Score base = scores.get(method + "|" + db + "|jdbc");
            if (base == null) {
                continue;
            }
            out.append("| ").append(db);
            for (String lib : LIBS) {
                Score s = scores.get(method + "|" + db + "|" + lib);
                out.append(" | ").append(s == null ? "—" : s.show() + (lib.equals("jdbc") ? ""
                        : " (" + ratio(s.value, base.value) + ")"));
            }
            Score hf = scores.get(method + "|" + db + "|holdfast");
            for (String peer : new String[] {"hibernate", "jdbi"}) {
                Score p = scores.get(method + "|" + db + "|" + peer);
                out.append(" | ").append(hf == null || p == null ? "—" : ratio(hf.value, p.value));
            }
            out.append(" |\n");
        }
    }

    private void changeVariants(StringBuilder out) {
        if (scores.keySet().stream().noneMatch(k -> k.endsWith("-locked") || k.endsWith("-set"))) {
            return;   // ChangeVariantsBenchmark was not in this run (./bench without --full)
        }
        out.append("\n#### Change one column, same-semantics pairs (ops/s)\n\n");
        out.append("| database | JDBC SELECT FOR UPDATE + UPDATE | Holdfast `modify` | ratio | JDBC blind UPDATE in a tx "
                + "| Holdfast `update(set(...))` | ratio | Hibernate `PESSIMISTIC_WRITE` | Holdfast `modify` ÷ it |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String db : DBS) {
            Score locked = scores.get("change|" + db + "|jdbc-locked");
            Score modify = scores.get("change|" + db + "|holdfast");
            Score blind = scores.get("change|" + db + "|jdbc");
            Score set = scores.get("change|" + db + "|holdfast-set");
            Score hib = scores.get("change|" + db + "|hibernate-locked");
            if (locked == null && set == null) {
                continue;
            }
            out.append("| ").append(db)
                    .append(" | ").append(show(locked)).append(" | ").append(show(modify))
                    .append(" | ").append(locked == null || modify == null ? "—" : ratio(modify.value, locked.value))
                    .append(" | ").append(show(blind)).append(" | ").append(show(set))
                    .append(" | ").append(blind == null || set == null ? "—" : ratio(set.value, blind.value))
                    .append(" | ").append(show(hib))
                    .append(" | ").append(hib == null || modify == null ? "—" : ratio(modify.value, hib.value))
                    .append(" |\n");
        }
    }

    private void counter(StringBuilder out) {
        out.append("\n#### Contended counter, 8 threads on one row\n\n");
        out.append("| database | code | calls/s (JMH) | vs raw atomic UPDATE | acknowledged/s | increments acknowledged "
                + "| in the database | lost | errors surfaced | retries |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String db : DBS) {
            Score atomic = scores.get("increment|" + db + "|jdbc-atomic");
            for (String way : WAYS) {
                Score s = scores.get("increment|" + db + "|" + way);
                Check c = checks.get(db + "|" + way);
                if (s == null && c == null) {
                    continue;
                }
                out.append("| ").append(db).append(" | ").append(way)
                        .append(" | ").append(show(s))
                        .append(" | ").append(s == null || atomic == null ? "—" : ratio(s.value, atomic.value));
                if (c == null) {
                    out.append(" | — | — | — | — | — | — |\n");
                    continue;
                }
                String lost = c.lost == 0 ? "**0**"
                        : String.format(Locale.ROOT, "**%,d (%.0f%%)**", c.lost, 100.0 * c.lost / Math.max(1, c.acknowledged));
                out.append(" | ").append(fmt(c.acknowledged / Math.max(c.seconds, 1e-9)))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", c.acknowledged))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", c.applied))
                        .append(" | ").append(lost)
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", c.errors))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", c.retries))
                        .append(" |\n");
            }
        }
    }

    private static String show(Score s) {
        return s == null ? "—" : s.show();
    }

    static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static double parse(String s) {
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
