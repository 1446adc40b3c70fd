package dev.holdfast.error;

import java.sql.SQLException;

/**
 * The database could not serialise this transaction with a concurrent one (PostgreSQL 40001, MariaDB 1020, SQLite
 * SQLITE_BUSY_SNAPSHOT). Retried by {@link dev.holdfast.Database#transact}.
 */
public class SerializationFailureException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public SerializationFailureException(String message, SQLException cause) {
        super(message, cause);
    }
}
