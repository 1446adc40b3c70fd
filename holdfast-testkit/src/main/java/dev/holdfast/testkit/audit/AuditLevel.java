package dev.holdfast.testkit.audit;

import dev.holdfast.Isolation;

/**
 * One row of the audit: the isolation level the sessions ask for, and the JDBC URL they open (for SQLite, a file in
 * the journal mode the row measures).
 *
 * @param label     the row's name, e.g. {@code READ COMMITTED} or {@code SERIALIZABLE (journal_mode=wal)}
 * @param isolation the level set on each session's connection; {@code null} for SQLite, whose transactions are
 *                  always serializable
 * @param url       the URL the sessions connect to
 */
record AuditLevel(String label, Isolation isolation, String url) {
}
