package dev.holdfast.error;

/**
 * No connection to the database could be made: a malformed URL, a missing driver, a wrong user or password, a database
 * that does not exist, or a host that does not answer. The message names the URL (without its password) and the
 * problem.
 */
public class ConnectionFailedException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
