package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A NOT NULL column was given no value (PostgreSQL 23502, MariaDB 1048 and 1364, SQLite SQLITE_CONSTRAINT_NOTNULL).
 */
public class NotNullViolationException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    public NotNullViolationException(String message, SQLException cause) {
        super(message, cause);
    }
}
