package dev.holdfast.testkit.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hermitage's published summary table (README.md of https://github.com/ept/hermitage, commit 000346f; Martin
 * Kleppmann, CC BY 4.0) for PostgreSQL 9.3.5 and MySQL 5.6.21 with InnoDB, spread over the suite's fifteen tests.
 *
 * <p>The table has one column per anomaly; a test shares its anomaly's column (PMP-write is PMP's, the G-single
 * variants G-single's, G2-two-edges G2's). "R/O" (MySQL REPEATABLE READ: prevented in a read-only transaction, not
 * when the transaction writes) is prevented for the read-only tests and an anomaly for the write-predicate ones.
 */
final class PublishedResults {
    private PublishedResults() {
    }

    static final String POSTGRES = "PostgreSQL 9.3.5 (Hermitage, 2014)";
    static final String MYSQL = "MySQL 5.6.21 InnoDB (Hermitage, 2014)";

    private static final List<String> COLUMNS =
            List.of("G0", "G1a", "G1b", "G1c", "OTV", "PMP", "P4", "G-single", "G2-item", "G2");

    /** One string per level: a character per column, {@code +} prevented, {@code -} anomaly, {@code r} R/O. */
    private static final Map<String, Map<String, String>> TABLE = Map.of(
            POSTGRES, Map.of(
                    "READ COMMITTED", "+++++-----",
                    "REPEATABLE READ", "++++++++--",
                    "SERIALIZABLE", "++++++++++"),
            MYSQL, Map.of(
                    "READ UNCOMMITTED", "+---------",
                    "READ COMMITTED", "+++++-----",
                    "REPEATABLE READ", "+++++r-r--",
                    "SERIALIZABLE", "++++++++++"));

    private static final Set<String> WRITE_PREDICATE_TESTS = Set.of("PMP-write", "G-single-write-1", "G-single-write-2");

    /** Which published results apply to a database product name, or {@code null} when Hermitage has none. */
    static String forProduct(String product) {
        String p = product.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MYSQL;
        }
        return null;
    }

    /** The published verdict for a test at a level, or {@code null} when Hermitage publishes none. */
    static Verdict verdict(String published, String test, String level) {
        if (published == null) {
            return null;
        }
        String row = TABLE.get(published).get(level);
        if (row == null) {
            return null;
        }
        char c = row.charAt(COLUMNS.indexOf(column(test)));
        return switch (c) {
            case '+' -> Verdict.PREVENTED;
            case '-' -> Verdict.ANOMALY;
            case 'r' -> WRITE_PREDICATE_TESTS.contains(test) ? Verdict.ANOMALY : Verdict.PREVENTED;
            default -> throw new IllegalStateException("bad published table entry " + c);
        };
    }

    private static String column(String test) {
        return switch (test) {
            case "PMP-write" -> "PMP";
            case "G-single-dependencies", "G-single-write-1", "G-single-write-2" -> "G-single";
            case "G2-two-edges" -> "G2";
            default -> test;
        };
    }
}
