package dev.holdfast.error;

import java.sql.SQLException;

/**
 * The database chose this transaction as the victim of a deadlock (PostgreSQL 40P01, MariaDB 1213). Retried by {@link
 * dev.holdfast.Database#transact}.
 */
public class DeadlockException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public DeadlockException(String message, SQLException cause) {
        super(message, cause);
    }
}
