package dev.holdfast;

import java.util.List;

/**
 * One statement about to be sent to the database, as a {@link StatementListener} sees it.
 *
 * @param kind       what the statement does
 * @param sql        the SQL text, with {@code ?} placeholders
 * @param parameters the bound values in order (for a batch: the first row's values; see {@code batchSize})
 * @param batchSize  rows in a batch, 1 otherwise
 * @param attempt    the transaction's attempt number, 1 for the first (0 for a statement outside a transaction)
 */
public record SqlStatement(Kind kind, String sql, List<Object> parameters, int batchSize, int attempt) {

    /**
     * What a statement does. Transaction control is reported too, so a listener sees the whole conversation: where a
     * transaction starts ({@code BEGIN}: sent as SQL on SQLite; on PostgreSQL and MariaDB the JDBC driver starts it
     * with the first statement after {@code setAutoCommit(false)}, and the listener is told {@code BEGIN} at that
     * point), its savepoints, and how it ends. A statement run on its own, in autocommit, has no {@code BEGIN} and
     * {@code attempt} 0.
     */
    public enum Kind { QUERY, UPDATE, BATCH, BEGIN, COMMIT, ROLLBACK, SAVEPOINT }

    @Override
    public String toString() {
        return parameters.isEmpty() ? sql : sql + " " + parameters;
    }
}
