package dev.holdfast.error;

/**
 * A Java type cannot be mapped to or from a row: a record without {@code @Table}, a component of an unsupported type, a
 * column that the query did not return. Raised on first use, naming the record, the component and the fix.
 */
public class MappingException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
