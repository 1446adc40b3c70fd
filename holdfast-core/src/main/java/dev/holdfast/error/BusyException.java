package dev.holdfast.error;

import java.sql.SQLException;

/**
 * SQLite said the database is locked by another connection or process (SQLITE_BUSY, SQLITE_LOCKED). Retried by {@link
 * dev.holdfast.Database#transact}.
 */
public class BusyException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public BusyException(String message, SQLException cause) {
        super(message, cause);
    }
}
