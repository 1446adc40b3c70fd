package dev.holdfast.testkit.audit;

import java.sql.SQLException;

/**
 * Runs one test's script at one level and reports what each step did. The one implementation,
 * {@link JdbcScriptRunner}, drives a thread per transaction; the interleaver's replay of a fixed schedule with
 * database-reported blocking can take its place behind this interface.
 */
interface ScriptRunner {
    Observation run(ScriptedTest test, AuditLevel level) throws SQLException;
}
