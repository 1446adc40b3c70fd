package dev.holdfast.internal;

import dev.holdfast.error.ConflictException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.TransactionTimeoutException;
import java.time.Duration;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts of a transaction until one commits, retrying on {@link ConflictException} only, with the backoff of
 * the retry policy, within the deadline. Everything else — constraint violations, the body's own exceptions, a
 * commit with an unknown outcome — ends the loop at once.
 */
public final class RetryLoop {
    // The logger keeps the name docs/transactions.md gives (from before the package split).
    private static final Logger LOG = LoggerFactory.getLogger("dev.holdfast.RetryLoop");

    @FunctionalInterface
    public interface AttemptFn<R> {
        R run(int attempt) throws Exception;
    }

    private RetryLoop() {
    }

    public static <R> R run(int maxAttempts, IntFunction<Duration> delayAfter, long deadlineNanos,
                              AttemptFn<R> attemptFn) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return attemptFn.run(attempt);
            } catch (ConflictException conflict) {
                if (attempt >= maxAttempts) {
                    if (maxAttempts > 1) {
                        conflict.addSuppressed(new HoldfastException("Gave up after " + attempt
                                + " attempts, each ending in a conflict; raise Retry.maxAttempts or reduce contention"));
                    }
                    throw conflict;
                }
                Duration delay = delayAfter.apply(attempt);
                if (deadlineNanos != 0 && System.nanoTime() + delay.toNanos() >= deadlineNanos) {
                    throw new TransactionTimeoutException("The transaction ran out of time after " + attempt
                            + " attempts ended in conflicts; nothing of it is committed", conflict);
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Attempt {} of {} ended in {}; retrying in {} µs", attempt, maxAttempts,
                            conflict.getClass().getSimpleName() + ": " + conflict.getMessage(), delay.toNanos() / 1000);
                }
                sleep(delay, conflict);
            }
        }
    }

    private static void sleep(Duration delay, ConflictException conflict) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HoldfastException interrupted = new HoldfastException(
                    "Interrupted while waiting to retry a transaction that ended in a conflict", e);
            interrupted.addSuppressed(conflict);
            throw interrupted;
        }
    }
}
