package dev.holdfast.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doc's tables come from the run's files, between their markers, with ratios from rows of the same benchmark. */
class BenchReportTest {
    static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
            + "\"Unit\",\"Param: db\",\"Param: way\"\n";

    @Test
    void writesEachTableBetweenItsMarkersAndLeavesTheProse(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("01-change-variants.meta"), """
                name=change-variants
                command=java -jar benchmarks.jar ChangeVariantsBenchmark -f 2 -i 5
                started=2026-11-29 18:00 UTC
                machine=2 cores
                jdk=openjdk 17
                load_before=0.10 0.20 0.30
                load_after=1.90 1.20 0.60
                seconds=42
                """);
        Files.writeString(dir.resolve("change-variants.csv"), HEADER
                + "\"dev.holdfast.bench.ChangeVariantsBenchmark.change\",\"thrpt\",1,10,2000.0,100.0,\"ops/s\",postgres,jdbc-locked\n"
                + "\"dev.holdfast.bench.ChangeVariantsBenchmark.change\",\"thrpt\",1,10,1900.0,400.0,\"ops/s\",postgres,holdfast-modify\n");
        Files.writeString(dir.resolve("roundtrips.tsv"), "change\tpostgres\tholdfast-modify\t40\t3.00\n");
        Path doc = dir.resolve("BENCHMARKS.md");
        Files.writeString(doc, "prose before\n<!-- bench:change-variants -->\nold 1.32×\n<!-- /bench:change-variants -->\n"
                + "prose after\n");

        BenchReport.main(new String[] {dir.toString(), "--doc", doc.toString()});

        String text = Files.readString(doc);
        assertThat(text).startsWith("prose before\n<!-- bench:change-variants -->\n").endsWith(
                "<!-- /bench:change-variants -->\nprose after\n");
        assertThat(text).doesNotContain("old 1.32×")
                .contains("ChangeVariantsBenchmark -f 2 -i 5", "2026-11-29 18:00 UTC", "before: 0.10 0.20 0.30",
                        "after: 1.90 1.20 0.60")
                .contains("| 2,000 ± 100 | — | 1.00× | — |")                      // 5%: not marked
                .contains("| 1,900 ± 400 **±>10%** | `jdbc-locked` | 0.95× | 3 |");   // 21%: marked; same-run ratio
        assertThat(Files.readString(dir.resolve("report.md"))).contains("0.95×");
    }
}
