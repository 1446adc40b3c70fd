package dev.holdfast.error;

/**
 * The root of every exception Holdfast throws. Unchecked: a database failure is rarely something the caller can handle
 * at the line that caused it, and the retry loop already handles the ones that can be handled.
 *
 * <p>When the failure came from the database, the original {@link java.sql.SQLException} is the {@linkplain #getCause()
 * cause}, so its SQLState and vendor code are never lost.
 */
public class HoldfastException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HoldfastException(String message) {
        super(message);
    }

    public HoldfastException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The SQLState of the underlying {@link java.sql.SQLException}, or {@code null} when there is none. */
    public String sqlState() {
        return getCause() instanceof java.sql.SQLException e ? e.getSQLState() : null;
    }
}
