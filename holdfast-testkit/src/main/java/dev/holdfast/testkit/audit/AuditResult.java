package dev.holdfast.testkit.audit;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The outcome of an audit: a matrix of {@link AuditCell}s, one per isolation level (row) and Hermitage test (column).
 *
 * <pre>{@code
 * AuditResult r = IsolationAudit.run("jdbc:postgresql://localhost/scratch", "me", secret, List.of(), AuditProgress.NONE);
 * r.cell("P4", "READ COMMITTED").verdict();    // ANOMALY: a lost update
 * r.differences();                              // the cells where the server disagrees with Hermitage's table
 * }</pre>
 *
 * @param database  the product and version the server reported, e.g. {@code PostgreSQL 15.14}
 * @param url       the JDBC URL audited, with any password removed
 * @param published which of Hermitage's published results the cells are compared with, e.g.
 *                  {@code PostgreSQL 9.3.5 (Hermitage, 2014)}, or {@code null} when there are none (SQLite)
 * @param levels    the rows: the isolation levels measured, weakest first
 * @param anomalies the columns: the Hermitage tests, in Hermitage's order
 * @param cells     every cell, row by row
 * @param elapsed   how long the audit took
 */
public record AuditResult(String database, String url, String published, List<String> levels,
                          List<Anomaly> anomalies, List<AuditCell> cells, Duration elapsed) {

    public AuditResult {
        levels = List.copyOf(levels);
        anomalies = List.copyOf(anomalies);
        cells = List.copyOf(cells);
    }

    /**
     * The cell of this test at this level.
     *
     * @throws NoSuchElementException naming the test and level when the audit did not measure them
     */
    public AuditCell cell(String test, String level) {
        return cells.stream().filter(c -> c.test().equals(test) && c.level().equals(level)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("The audit has no cell for test " + test + " at level "
                        + level + "; its tests are " + anomalies.stream().map(Anomaly::name).toList()
                        + " and its levels " + levels));
    }

    /** The cells where the anomaly happened. */
    public List<AuditCell> anomaliesFound() {
        return cells.stream().filter(c -> c.verdict() == Verdict.ANOMALY).toList();
    }

    /** The cells where Hermitage publishes a result and this database did something else. */
    public List<AuditCell> differences() {
        return cells.stream().filter(AuditCell::differsFromPublished).toList();
    }
}
