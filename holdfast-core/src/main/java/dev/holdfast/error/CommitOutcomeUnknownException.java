package dev.holdfast.error;

import java.sql.SQLException;

/**
 * The connection was lost after COMMIT was sent and before the database answered: the transaction may or may not have
 * been committed. Holdfast never retries this, because retrying a transaction that did commit would apply it twice.
 *
 * <p>What to do depends on the work: make it idempotent (an upsert keyed by a request id) and run it again, or read the
 * database to find out whether the commit happened.
 */
public class CommitOutcomeUnknownException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(String message, SQLException cause) {
        super(message, cause);
    }
}
