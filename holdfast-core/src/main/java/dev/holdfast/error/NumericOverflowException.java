package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A number is out of the range of its column or of the arithmetic (PostgreSQL and MariaDB 22003, MariaDB 1264 and
 * 1690). Use a wider type (bigint, numeric) or check the value before writing.
 */
public class NumericOverflowException extends DataException {
    private static final long serialVersionUID = 1L;

    public NumericOverflowException(String message, SQLException cause) {
        super(message, cause);
    }
}
