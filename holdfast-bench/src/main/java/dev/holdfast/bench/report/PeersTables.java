package dev.holdfast.bench.report;

import dev.holdfast.bench.report.Results.Score;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables of PeersBenchmark, ChangeVariantsBenchmark and CounterBenchmark. Every ratio divides two scores of the
 * same benchmark in the same run; round trips per call come from {@code roundtrips.tsv} (RoundTrips, counted on the
 * wire), lost updates from {@code counter.tsv} (CounterBenchmark's own check).
 */
final class PeersTables {
    static final List<String> DBS = List.of("postgres", "postgres-nofsync", "mariadb", "sqlite");
    static final List<String> LIBS = List.of("jdbc", "holdfast", "hibernate", "jdbi", "jooq");
    static final List<String> WAYS = List.of("jdbc-naive", "jdbc-atomic", "jdbc-forUpdate", "holdfast-modify",
            "holdfast-atomic", "holdfast-apply", "holdfast-execute", "hibernate-naive", "hibernate-version",
            "hibernate-pessimistic", "jdbi-naive", "jdbi-atomic", "jooq-naive", "jooq-atomic");

    /** One counter trial's check of the database against the acknowledged increments. */
    record Check(long acknowledged, long applied, long lost, long errors, long retries, double seconds) {
    }

    private final Map<String, Double> roundTrips;
    private final Map<String, Check> checks = new LinkedHashMap<>();   // "db|way"

    PeersTables(Map<String, Double> roundTrips, Path counterTsv) throws IOException {
        this.roundTrips = roundTrips;
        if (counterTsv != null && Files.exists(counterTsv)) {
            for (String line : Files.readAllLines(counterTsv)) {
                String[] f = line.split("\t");
                if (f.length >= 8) {
                    checks.put(f[0] + "|" + f[1], new Check(Long.parseLong(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Double.parseDouble(f[7])));
                }
            }
        }
    }

    /** Round trips per call of {@code method} on {@code db} by {@code who}, as the tables print it. */
    String trips(String method, String db, String who) {
        if (db.equals("sqlite")) {
            return "in-process";
        }
        Double t = roundTrips.get(method + "|" + (db.equals("postgres-nofsync") ? "postgres" : db) + "|" + who);
        if (t == null) {
            return "—";
        }
        return t == Math.rint(t) ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.2f", t);
    }

    void peers(Results r, StringBuilder out) {
        single(r, out, "get", "Get one row by id");
        single(r, out, "insert", "Insert one row (generated id returned)");
        single(r, out, "insertBatch1000", "Insert 1,000 rows in one transaction (ops/s × 1,000 = rows/s)");
        single(r, out, "change", "Change one column of one row in a transaction, each library's idiomatic way");
    }

    private void single(Results r, StringBuilder out, String method, String title) {
        if (DBS.stream().allMatch(db -> LIBS.stream().allMatch(lib -> r.find(method, "db", db, "lib", lib) == null))) {
            return; // a run of a subset (./bench's peers-targets): no empty table for what it did not measure
        }
        out.append("\n#### ").append(title).append(" (ops/s, ratio to raw JDBC)\n\n");
        out.append("| database | raw JDBC | Holdfast | Hibernate | Jdbi | jOOQ "
                + "| round trips per call (JDBC / Holdfast / Hibernate / Jdbi / jOOQ) |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (String db : DBS) {
            Score base = r.find(method, "db", db, "lib", "jdbc");
            if (LIBS.stream().allMatch(lib -> r.find(method, "db", db, "lib", lib) == null)) {
                continue;
            }
            out.append("| ").append(db);
            for (String lib : LIBS) {
                Score s = r.find(method, "db", db, "lib", lib);
                out.append(" | ").append(Results.show(s));
                if (s != null && !lib.equals("jdbc")) {
                    out.append(" (").append(Results.ratio(s, base)).append(")");
                }
            }
            out.append(" | ");
            out.append(db.equals("sqlite") ? "in-process"
                    : String.join(" / ", LIBS.stream().map(lib -> trips(method, db, lib)).toList()));
            out.append(" |\n");
        }
    }

    /** Each same-semantics pair side by side: the ratio's base is named in its own column. */
    void changeVariants(Results r, StringBuilder out) {
        out.append("\n| database | code | ops/s | compared with | ratio | round trips per call |\n");
        out.append("|---|---|---|---|---|---|\n");
        String[][] rows = {
            {"jdbc-locked", null, "JDBC `SELECT … FOR UPDATE` + `UPDATE` (by hand)"},
            {"holdfast-modify", "jdbc-locked", "Holdfast `modify`"},
            {"hibernate-locked", "jdbc-locked", "Hibernate `find(…, PESSIMISTIC_WRITE)` + setter"},
            {"jdbc-blind", null, "JDBC blind `UPDATE` in a transaction"},
            {"holdfast-set", "jdbc-blind", "Holdfast `update(Thing.class, id, set(\"foo\", v))`"},
        };
        for (String db : DBS) {
            for (String[] row : rows) {
                Score s = r.find("change", "db", db, "way", row[0]);
                if (s == null) {
                    continue;
                }
                Score base = row[1] == null ? null : r.find("change", "db", db, "way", row[1]);
                out.append("| ").append(db).append(" | ").append(row[2]).append(" (`").append(row[0]).append("`)")
                        .append(" | ").append(s.show())
                        .append(" | ").append(row[1] == null ? "—" : "`" + row[1] + "`")
                        .append(" | ").append(row[1] == null ? "1.00×" : Results.ratio(s, base))
                        .append(" | ").append(trips("change", db, row[0]))
                        .append(" |\n");
            }
        }
    }

    void counter(Results r, StringBuilder out) {
        out.append("\n| database | code | calls/s (JMH) | vs `jdbc-atomic` | acknowledged/s | increments acknowledged "
                + "| in the database | lost | errors surfaced | retries | round trips per call |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String db : DBS) {
            Score atomic = r.find("increment", "db", db, "way", "jdbc-atomic");
            for (String way : WAYS) {
                Score s = r.find("increment", "db", db, "way", way);
                if (s == null) {
                    continue;
                }
                Check c = checks.get(db + "|" + way);
                out.append("| ").append(db).append(" | ").append(way)
                        .append(" | ").append(s.show())
                        .append(" | ").append(Results.ratio(s, atomic));
                if (c == null) {
                    out.append(" | — | — | — | — | — | —");
                } else {
                    String lost = c.lost == 0 ? "**0**" : String.format(Locale.ROOT, "**%,d (%.0f%%)**", c.lost,
                            100.0 * c.lost / Math.max(1, c.acknowledged));
                    out.append(" | ").append(Results.fmt(c.acknowledged / Math.max(c.seconds, 1e-9)))
                            .append(" | ").append(String.format(Locale.ROOT, "%,d", c.acknowledged))
                            .append(" | ").append(String.format(Locale.ROOT, "%,d", c.applied))
                            .append(" | ").append(lost)
                            .append(" | ").append(String.format(Locale.ROOT, "%,d", c.errors))
                            .append(" | ").append(String.format(Locale.ROOT, "%,d", c.retries));
                }
                out.append(" | ").append(trips("increment", db, way)).append(" |\n");
            }
        }
    }
}
