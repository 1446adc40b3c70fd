package dev.holdfast;

import dev.holdfast.error.ConflictException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a transaction is run again after a {@link ConflictException}.
 *
 * <p>The delay before attempt {@code n + 1} is drawn uniformly from {@code [0, min(cap, base * 2^(n-1))]} ("full
 * jitter"): colliding transactions spread out instead of colliding again in lock step.
 *
 * <pre>{@code
 * Database db = Database.builder(url).retry(Retry.exponential(8, Duration.ofMillis(5), Duration.ofSeconds(1))).build();
 * db.transact(TransactionOptions.defaults().withRetry(Retry.none()), tx -> ...);   // one attempt only
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param base        the upper bound of the first delay
 * @param cap         no delay is longer than this
 */
public record Retry(int maxAttempts, Duration base, Duration cap) {

    /** 10 attempts, delays from up to 5 ms growing to at most 1 s: rides out a burst of contention within a few seconds. */
    public static final Retry DEFAULT = new Retry(10, Duration.ofMillis(5), Duration.ofSeconds(1));

    public Retry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Retry needs maxAttempts >= 1 (1 means no retry), got " + maxAttempts);
        }
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("Retry needs 0 <= base <= cap, got base " + base + " and cap " + cap);
        }
    }

    /** Exponential backoff with full jitter. */
    public static Retry exponential(int maxAttempts, Duration base, Duration cap) {
        return new Retry(maxAttempts, base, cap);
    }

    /** A single attempt: a conflict reaches the caller at once. */
    public static Retry none() {
        return new Retry(1, Duration.ZERO, Duration.ZERO);
    }

    /** The delay to wait after failed attempt number {@code attempt} (1-based), with jitter. */
    public Duration delayAfter(int attempt) {
        long capNanos = cap.toNanos();
        long bound = base.toNanos();
        for (int i = 1; i < attempt && bound < capNanos; i++) {
            bound = bound * 2;
        }
        bound = Math.min(bound, capNanos);
        return bound <= 0 ? Duration.ZERO : Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
