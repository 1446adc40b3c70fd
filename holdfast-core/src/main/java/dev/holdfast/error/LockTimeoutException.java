package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A lock could not be had in time, or at once with {@code NOWAIT} (PostgreSQL 55P03, MariaDB 1205). Retried by {@link
 * dev.holdfast.Database#transact}.
 */
public class LockTimeoutException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String message, SQLException cause) {
        super(message, cause);
    }
}
