package dev.holdfast;

import java.time.Duration;

/**
 * Options for one transaction. Anything left {@code null} falls back to the {@link Database}'s defaults.
 *
 * <pre>{@code
 * db.transact(TransactionOptions.defaults().withIsolation(Isolation.SERIALIZABLE).withTimeout(Duration.ofSeconds(2)),
 *             tx -> tx.execute("update account set balance = balance - ? where id = ?", 10, 1));
 * }</pre>
 *
 * @param isolation the isolation level, or {@code null} for the database default
 * @param retry     the retry policy, or {@code null} for the database default
 * @param timeout   the longest the whole transaction (all attempts) may take, or {@code null} for no limit
 */
public record TransactionOptions(Isolation isolation, Retry retry, Duration timeout) {

    private static final TransactionOptions DEFAULTS = new TransactionOptions(null, null, null);

    public TransactionOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("A transaction timeout must be positive, got " + timeout);
        }
    }

    /** Every option from the database's defaults. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    public TransactionOptions withIsolation(Isolation isolation) {
        return new TransactionOptions(isolation, retry, timeout);
    }

    public TransactionOptions withRetry(Retry retry) {
        return new TransactionOptions(isolation, retry, timeout);
    }

    public TransactionOptions withTimeout(Duration timeout) {
        return new TransactionOptions(isolation, retry, timeout);
    }
}
