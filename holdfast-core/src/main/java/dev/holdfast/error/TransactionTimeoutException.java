package dev.holdfast.error;

/**
 * A transaction did not finish within the timeout of its {@link dev.holdfast.TransactionOptions}: it was rolled back
 * and nothing of
 * it was committed. Not retried.
 */
public class TransactionTimeoutException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public TransactionTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
