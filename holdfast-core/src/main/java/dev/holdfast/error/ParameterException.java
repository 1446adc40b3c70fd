package dev.holdfast.error;

/**
 * The values given for a statement's {@code ?} placeholders do not fit it: too few, too many, or a value of a type
 * Holdfast cannot bind. Raised before the statement is sent, so nothing of it ran; the message names the statement,
 * the counts or the type, and the fix.
 *
 * <pre>{@code
 * db.execute("insert into item(id, name) values (?, ?)", 1);   // ParameterException: 2 placeholders, 1 value
 * }</pre>
 */
public class ParameterException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public ParameterException(String message) {
        super(message);
    }
}
