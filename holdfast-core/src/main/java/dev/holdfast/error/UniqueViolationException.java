package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A row with the same key already exists (PostgreSQL 23505, MariaDB 1062, SQLite SQLITE_CONSTRAINT_UNIQUE or
 * _PRIMARYKEY).
 */
public class UniqueViolationException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    public UniqueViolationException(String message, SQLException cause) {
        super(message, cause);
    }
}
