package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A string or binary value is longer than its column allows (PostgreSQL and MariaDB 22001, MariaDB 1406). SQLite
 * does not limit lengths. Shorten the value or widen the column.
 */
public class ValueTooLongException extends DataException {
    private static final long serialVersionUID = 1L;

    public ValueTooLongException(String message, SQLException cause) {
        super(message, cause);
    }
}
