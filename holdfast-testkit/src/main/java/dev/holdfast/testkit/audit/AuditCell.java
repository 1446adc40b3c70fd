package dev.holdfast.testkit.audit;

import java.util.List;

/**
 * One cell of the audit matrix: one Hermitage test run at one isolation level.
 *
 * @param test       the test's name, e.g. {@code P4}
 * @param level      the isolation level's label, e.g. {@code REPEATABLE READ} or {@code SERIALIZABLE (WAL)}
 * @param verdict    anomaly or prevented
 * @param prevention how it was prevented ({@link Prevention#NONE} for an anomaly)
 * @param detail     what was observed, in words: what was read, which step waited or which error ended a transaction
 * @param published  Hermitage's published result for this database family and level, or {@code null} when Hermitage
 *                   publishes none (SQLite, PostgreSQL's READ UNCOMMITTED)
 * @param sessions   the transactions, in order: {@code T1}, {@code T2} (and {@code T3})
 * @param trace      every step as observed
 */
public record AuditCell(String test, String level, Verdict verdict, Prevention prevention, String detail,
                        Verdict published, List<String> sessions, List<AuditStep> trace) {

    public AuditCell {
        sessions = List.copyOf(sessions);
        trace = List.copyOf(trace);
    }

    /** True when Hermitage publishes a result for this cell and the database did something else. */
    public boolean differsFromPublished() {
        return published != null && published != verdict;
    }
}
