package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A date or time value is malformed or out of range (PostgreSQL and MariaDB 22007 and 22008, MariaDB 1292). Pass
 * java.time values instead of strings, or fix the string.
 */
public class InvalidDateTimeException extends DataException {
    private static final long serialVersionUID = 1L;

    public InvalidDateTimeException(String message, SQLException cause) {
        super(message, cause);
    }
}
