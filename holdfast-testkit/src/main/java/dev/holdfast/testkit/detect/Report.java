package dev.holdfast.testkit.detect;

import java.util.List;

/**
 * The findings of one analysis, and the statements the SQL analysis could not parse (skipped, never fatal).
 *
 * <pre>{@code
 * Report report = detector.analyse(dataSource);
 * System.out.println(report.toText());
 * if (report.hasProved()) throw new AssertionError(report.toText());
 * }</pre>
 */
public final class Report {
    private final List<Finding> findings;
    private final List<String> unparsed;
    private final int transactions;

    /**
     * @param findings     the findings, in the order found
     * @param unparsed     SQL texts the analysis could not parse and skipped
     * @param transactions how many recorded transactions were analysed
     */
    public Report(List<Finding> findings, List<String> unparsed, int transactions) {
        this.findings = List.copyOf(findings);
        this.unparsed = List.copyOf(unparsed);
        this.transactions = transactions;
    }

    /** Every finding. */
    public List<Finding> findings() {
        return findings;
    }

    /** The findings of one kind. */
    public List<Finding> findings(Finding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** SQL the analysis could not parse; those statements were skipped. */
    public List<String> unparsed() {
        return unparsed;
    }

    /** How many transactions were analysed. */
    public int transactions() {
        return transactions;
    }

    /** True when any finding was proved by the interleaving explorer. */
    public boolean hasProved() {
        return findings.stream().anyMatch(f -> f.status() == Finding.Status.PROVED);
    }

    /** True when there are no findings. */
    public boolean isEmpty() {
        return findings.isEmpty();
    }

    /** This report with one finding replaced (e.g. by its confirmed version). */
    public Report with(Finding old, Finding replacement) {
        List<Finding> copy = new java.util.ArrayList<>(findings);
        int i = copy.indexOf(old);
        if (i < 0) {
            throw new IllegalArgumentException("The finding is not in this report: " + old.kind() + " " + old.reason());
        }
        copy.set(i, replacement);
        return new Report(copy, unparsed, transactions);
    }

    /** The report as text: a summary line, then each finding, then the SQL that could not be parsed. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Race detector: ").append(findings.size()).append(findings.size() == 1 ? " finding" : " findings")
                .append(" in ").append(transactions).append(" transactions");
        long proved = findings.stream().filter(f -> f.status() == Finding.Status.PROVED).count();
        if (proved > 0) {
            b.append(" (").append(proved).append(" proved)");
        }
        b.append('\n');
        for (Finding f : findings) {
            b.append(f.toText());
        }
        if (!unparsed.isEmpty()) {
            b.append(unparsed.size()).append(" statement(s) could not be parsed and were skipped:\n");
            for (String s : unparsed) {
                b.append("    ").append(s).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
