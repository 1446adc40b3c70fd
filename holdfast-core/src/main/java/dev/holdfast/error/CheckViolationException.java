package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A CHECK constraint failed (PostgreSQL 23514, MariaDB 4025, SQLite SQLITE_CONSTRAINT_CHECK).
 */
public class CheckViolationException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    public CheckViolationException(String message, SQLException cause) {
        super(message, cause);
    }
}
