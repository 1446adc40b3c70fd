package dev.holdfast;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every statement through SLF4J, logger {@code dev.holdfast.sql}: successes at DEBUG with their duration and row
 * count, failures at INFO (a conflict is normal and will be retried; the final error reaches the caller anyway).
 *
 * <pre>{@code
 * Database db = Database.builder(url).listener(new LoggingStatementListener()).build();
 * }</pre>
 */
public final class LoggingStatementListener implements StatementListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.holdfast.sql");

    @Override
    public void afterStatement(StatementOutcome o) {
        if (o.failed()) {
            if (LOG.isInfoEnabled()) {
                LOG.info("{} failed after {} µs (attempt {}): {}", o.statement(), o.elapsed().toNanos() / 1000,
                        o.statement().attempt(), o.error().getMessage());
            }
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {} rows in {} µs", o.statement(), o.rows(), o.elapsed().toNanos() / 1000);
        }
    }
}
