package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A statement ran past its time limit and was cancelled (PostgreSQL 57014, MariaDB 1969 and 3024, SQLite
 * SQLITE_INTERRUPT). Not retried: a retry would most likely run as long again.
 */
public class QueryTimeoutException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public QueryTimeoutException(String message, SQLException cause) {
        super(message, cause);
    }
}
