package dev.holdfast.error;

import java.sql.SQLException;

/**
 * A statement broke a constraint of the schema. Never retried: running it again would break it again. The subclasses
 * name the kind.
 */
public class ConstraintViolationException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public ConstraintViolationException(String message, SQLException cause) {
        super(message, cause);
    }
}
