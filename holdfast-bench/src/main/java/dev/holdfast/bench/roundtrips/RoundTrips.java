package dev.holdfast.bench.roundtrips;

import dev.holdfast.bench.peers.Library;
import dev.holdfast.bench.peers.Peers;
import dev.holdfast.bench.peers.Target;
import dev.holdfast.bench.peers.Variants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Round trips per call of every workload of PeersBenchmark, ChangeVariantsBenchmark and CounterBenchmark, for every
 * library, on PostgreSQL and MariaDB: each workload runs single-threaded through a {@link CountingRelay}, outside any
 * JMH timing, after a warm-up (first-use checks, pgjdbc's switch to server-prepared statements after 5 uses). Three
 * windows of {@code calls} calls each; the fewest trips of the three, divided by the calls, is the figure (a pool's
 * background keep-alive or a connection being opened can only add trips to a window, never remove them).
 *
 * <pre>
 * java -cp holdfast-bench/target/benchmarks.jar dev.holdfast.bench.roundtrips.RoundTrips roundtrips.tsv postgres,mariadb
 * </pre>
 *
 * Writes {@code method<TAB>db<TAB>library-or-way<TAB>calls<TAB>round trips per call}, the keys the report joins on.
 */
public final class RoundTrips {
    static final List<String> LIBS = List.of("jdbc", "holdfast", "hibernate", "jdbi", "jooq");
    /** ChangeVariantsBenchmark's ways, by library. */
    static final Map<String, List<String>> CHANGES = Map.of(
            "jdbc", List.of("locked", "blind"), "holdfast", List.of("modify", "set"), "hibernate", List.of("locked"),
            "jdbi", List.of(), "jooq", List.of());
    /** CounterBenchmark's ways, by library. */
    static final Map<String, List<String>> INCREMENTS = Map.of(
            "jdbc", List.of("naive", "atomic", "forUpdate"),
            "holdfast", List.of("modify", "atomic", "apply", "execute"),
            "hibernate", List.of("naive", "version", "pessimistic"),
            "jdbi", List.of("naive", "atomic"),
            "jooq", List.of("naive", "atomic"));

    /** One workload, called once. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private RoundTrips() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RoundTrips <out.tsv> [postgres,mariadb] [calls per window, default 40]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String[] dbs = (args.length > 1 ? args[1] : "postgres,mariadb").split(",");
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        List<String> lines = new ArrayList<>();
        for (String db : dbs) {
            for (String lib : LIBS) {
                lines.addAll(measureLibrary(db, lib, calls));
            }
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println("# round trips per call -> " + out + " (" + lines.size() + " rows)");
    }

    static List<String> measureLibrary(String db, String lib, int calls) throws Exception {
        String url = Target.of(db).reset();
        List<String> rows = new ArrayList<>();
        try (CountingRelay relay = CountingRelay.inFrontOf(url);
             Peers peers = Peers.open(db, lib, relay::url)) {
            Library library = Library.of(peers);
            settle(relay);
            int[] next = {1_000_000 * (1 + LIBS.indexOf(lib))};
            rows.add(row("get", db, lib, calls, perCall(relay, calls, () -> library.get(anyId()))));
            rows.add(row("insert", db, lib, calls, perCall(relay, calls, () -> library.insert(++next[0]))));
            rows.add(row("insertBatch1000", db, lib, 5, perCall(relay, 5, () -> {
                library.insertBatch(next[0], 1000);
                next[0] += 1000;
            })));
            rows.add(row("change", db, lib, calls, perCall(relay, calls, () -> library.change(anyId(), ++next[0]))));
            for (String way : CHANGES.get(lib)) {
                Variants.Change change = Variants.change(library, way);
                rows.add(row("change", db, lib + "-" + way, calls,
                        perCall(relay, calls, () -> change.run(anyId(), ++next[0]))));
            }
            for (String way : INCREMENTS.get(lib)) {
                Library.Increment increment = library.increment(way);
                rows.add(row("increment", db, lib + "-" + way, calls, perCall(relay, calls, increment::run)));
            }
        }
        rows.forEach(r -> System.out.println("# round trips " + r.replace('\t', ' ')));
        return rows;
    }

    /**
     * Round trips per call of {@code call} through {@code relay}: warmed up, then the fewest of three windows of
     * {@code calls} calls.
     */
    public static double perCall(CountingRelay relay, int calls, Call call) throws Exception {
        for (int i = 0; i < Math.max(10, calls / 4); i++) {
            call.run();
        }
        long fewest = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            long before = relay.roundTrips();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            fewest = Math.min(fewest, relay.roundTrips() - before);
        }
        return (double) fewest / calls;
    }

    /** Waits until the pool has stopped opening connections (their hand-shakes would count as the workload's trips). */
    static void settle(CountingRelay relay) throws InterruptedException {
        long seen = -1;
        for (int quiet = 0; quiet < 5; ) {
            Thread.sleep(200);
            long now = relay.connections();
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
        }
    }

    private static long anyId() {
        return 1 + ThreadLocalRandom.current().nextInt(Target.ROWS);
    }

    private static String row(String method, String db, String who, int calls, double perCall) {
        return String.join("\t", method, db, who, Integer.toString(calls), String.format(Locale.ROOT, "%.2f", perCall));
    }

    /** Reads what {@link #main} wrote: "method|db|who" to round trips per call. */
    public static Map<String, Double> read(Path tsv) throws IOException {
        Map<String, Double> out = new java.util.HashMap<>();
        if (!Files.exists(tsv)) {
            return out;
        }
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length == 5) {
                out.put(f[0] + "|" + f[1] + "|" + f[2], Double.parseDouble(f[4]));
            }
        }
        return out;
    }
}
