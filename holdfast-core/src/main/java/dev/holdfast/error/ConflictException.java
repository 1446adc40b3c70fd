package dev.holdfast.error;

import java.sql.SQLException;

/**
 * The transaction collided with another one and lost; running it again from the start is expected to succeed.
 *
 * <p>{@link dev.holdfast.Database#transact} retries the whole transaction on this exception, with exponential backoff
 * and jitter, so
 * user code sees it only when every attempt of its {@link dev.holdfast.Retry} policy failed. The subclasses say which
 * collision it
 * was: {@link SerializationFailureException}, {@link DeadlockException}, {@link LockTimeoutException},
 * {@link BusyException}.
 */
public class ConflictException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message, SQLException cause) {
        super(message, cause);
    }
}
