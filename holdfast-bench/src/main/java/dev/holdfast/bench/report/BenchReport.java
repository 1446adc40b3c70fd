package dev.holdfast.bench.report;

import dev.holdfast.bench.report.Results.Score;
import dev.holdfast.bench.roundtrips.RoundTrips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns one {@code ./bench} run into the tables of docs/BENCHMARKS.md, so that no number in the doc is copied by hand.
 * The run's directory holds, per benchmark entry NAME, {@code NAME.csv} (JMH's {@code -rf csv}) and {@code NAME.meta}
 * ({@code key=value} lines the script wrote: command, start, machine, JDK, load averages before and after, warnings),
 * plus {@code counter.tsv} (CounterBenchmark's lost-update checks) and {@code roundtrips.tsv} (RoundTrips).
 *
 * <pre>
 * java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.report.BenchReport RUN_DIR [--doc docs/BENCHMARKS.md]
 * </pre>
 *
 * Writes {@code RUN_DIR/report.md}; with {@code --doc}, also replaces each {@code <!-- bench:NAME -->} …
 * {@code <!-- /bench:NAME -->} block of the doc with NAME's tables. The prose outside the markers is never touched.
 * Entries named {@code peers}, {@code change-variants} and {@code counter*} get the comparison tables (ratios,
 * round trips, lost updates); any other entry gets one row per JMH score, which is all a new benchmark needs.
 */
public final class BenchReport {
    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--doc"))) {
            System.err.println("usage: BenchReport <run dir> [--doc docs/BENCHMARKS.md]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        PeersTables peers = new PeersTables(RoundTrips.read(dir.resolve("roundtrips.tsv")), dir.resolve("counter.tsv"));
        Map<String, String> blocks = new LinkedHashMap<>();
        for (Path metaFile : metas(dir)) {
            Map<String, List<String>> meta = readMeta(metaFile);
            String name = first(meta, "name");
            blocks.put(name, block(name, meta, Results.read(dir.resolve(name + ".csv")), peers));
        }
        StringBuilder report = new StringBuilder();
        blocks.values().forEach(b -> report.append(b).append("\n\n"));
        Files.writeString(dir.resolve("report.md"), report, StandardCharsets.UTF_8);
        System.out.println("# tables of " + blocks.size() + " benchmarks -> " + dir.resolve("report.md"));
        if (args.length == 3) {
            Path doc = Path.of(args[2]);
            String text = Files.readString(doc);
            for (Map.Entry<String, String> b : blocks.entrySet()) {
                String begin = "<!-- bench:" + b.getKey() + " -->";
                String end = "<!-- /bench:" + b.getKey() + " -->";
                int from = text.indexOf(begin);
                int to = text.indexOf(end);
                if (from < 0 || to < from) {
                    System.err.println("# " + doc + " has no " + begin + " … " + end + " block: the tables of "
                            + b.getKey() + " are only in report.md; add both markers where they belong in the doc");
                    continue;
                }
                text = text.substring(0, from) + b.getValue() + text.substring(to + end.length());
            }
            Files.writeString(doc, text, StandardCharsets.UTF_8);
            System.out.println("# " + doc + " updated between its bench markers");
        }
    }

    static String block(String name, Map<String, List<String>> meta, Results results, PeersTables peers) {
        StringBuilder out = new StringBuilder();
        out.append("<!-- bench:").append(name).append(" -->\n");
        out.append("<!-- written by ./bench (BenchReport); edits between these markers are overwritten -->\n");
        out.append("Run ").append(first(meta, "started")).append(" (").append(first(meta, "seconds"))
                .append(" s): `").append(first(meta, "command")).append("`  \n");
        out.append("Machine: ").append(first(meta, "machine")).append("; ").append(first(meta, "jdk")).append("  \n");
        out.append("Load average (1/5/15 min) before: ").append(first(meta, "load_before"))
                .append("; after: ").append(first(meta, "load_after")).append("\n");
        for (String warning : meta.getOrDefault("warning", List.of())) {
            out.append("\n**Warning:** ").append(warning).append("\n");
        }
        if (results.scores.isEmpty()) {
            out.append("\n**No results**: this benchmark failed or was not run; see ").append(name)
                    .append(".log in the run's directory.\n");
        } else if (name.equals("peers") || name.startsWith("peers-")) {
            peers.peers(results, out);
        } else if (name.startsWith("change-variants")) {
            peers.changeVariants(results, out);
        } else if (name.startsWith("counter")) {
            peers.counter(results, out);
        } else {
            generic(results, out);
        }
        out.append("\nScores: JMH mean ± half-width of its 99.9% interval. **±>10%**: the interval is 10% of the score "
                + "or more, so the score is not a precise figure.\n");
        out.append("<!-- /bench:").append(name).append(" -->");
        return out.toString();
    }

    /** One row per score: benchmark, mode, threads, each parameter, score ± interval, unit. */
    static void generic(Results r, StringBuilder out) {
        Set<String> params = new LinkedHashSet<>();
        r.scores.forEach(s -> params.addAll(s.params().keySet()));
        out.append("\n| benchmark | mode | threads");
        params.forEach(p -> out.append(" | `").append(p).append("`"));
        out.append(" | score | unit |\n|---|---|---");
        params.forEach(p -> out.append("|---"));
        out.append("|---|---|\n");
        for (Score s : r.scores) {
            String bench = s.benchmark().replaceFirst("^dev\\.holdfast\\.bench\\.", "");
            out.append("| ").append(bench).append(" | ").append(s.mode()).append(" | ").append(s.threads());
            params.forEach(p -> out.append(" | ").append(s.param(p)));
            out.append(" | ").append(s.show()).append(" | ").append(s.unit()).append(" |\n");
        }
    }

    private static List<Path> metas(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".meta")).toList());
            // in the order ./bench ran them (NN-name.meta)
            out.sort(null);
            return out;
        }
    }

    static Map<String, List<String>> readMeta(Path file) throws IOException {
        Map<String, List<String>> meta = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return meta;
    }

    private static String first(Map<String, List<String>> meta, String key) {
        List<String> v = meta.get(key);
        return v == null || v.isEmpty() ? "?" : v.get(0);
    }
}
