package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A value does not fit its column: too long, out of range, or not a valid date or time (SQLState class 22). Not
 * retried: the same value would fail again. The subclasses name the common cases; the statement and the database's
 * own message are in the message, the driver's exception is the cause.
 */
public class DataException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public DataException(String message, SQLException cause) {
        super(message, cause);
    }
}
