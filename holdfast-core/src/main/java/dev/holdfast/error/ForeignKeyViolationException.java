package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A reference points to a row that does not exist, or a referenced row is still referenced (PostgreSQL 23503, MariaDB
 * 1451 and 1452, SQLite SQLITE_CONSTRAINT_FOREIGNKEY).
 */
public class ForeignKeyViolationException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    public ForeignKeyViolationException(String message, SQLException cause) {
        super(message, cause);
    }
}
