package dev.holdfast.examples;

import dev.holdfast.error.ConflictException;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A per-key write throttle built on a {@link StatementListener} (seed 002 asks for "statement hooks for throttling").
 *
 * <p>Each key — by default the table a statement writes to — gets a token bucket of {@code writesPerSecond}. A write
 * that finds its bucket empty waits up to {@code maxWait} for a token; if none comes, it is vetoed with a
 * {@link Throttled} conflict, and {@code Database.transact} retries the whole transaction later with backoff, exactly
 * as for a deadlock. Reads are never throttled.
 *
 * <p>On SQLite every write transaction runs on the database's one writer thread, so a wait here holds up every other
 * writer too. There, use {@code maxWait} zero: the write is vetoed at once and the backoff happens in the caller's
 * thread, in the retry loop.
 *
 * <pre>{@code
 * Database db = Database.builder(url)
 *     .listener(new WriteThrottle(200, Duration.ofMillis(50)))      // at most ~200 writes/s per table
 *     .build();
 * }</pre>
 */
public final class WriteThrottle implements StatementListener {

    /** Thrown to veto a write whose key is over its rate; a conflict, so the transaction is retried later. */
    public static final class Throttled extends ConflictException {
        private static final long serialVersionUID = 1L;

        Throttled(String message) {
            super(message, null);
        }
    }

    private final double writesPerSecond;
    private final long maxWaitNanos;
    private final Function<SqlStatement, String> key;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Throttles writes per table. */
    public WriteThrottle(double writesPerSecond, Duration maxWait) {
        this(writesPerSecond, maxWait, WriteThrottle::tableOf);
    }

    /** Throttles writes per key, e.g. {@code s -> s.parameters().get(0).toString()} for "per customer id". */
    public WriteThrottle(double writesPerSecond, Duration maxWait, Function<SqlStatement, String> key) {
        if (writesPerSecond <= 0) {
            throw new IllegalArgumentException("writesPerSecond must be positive, got " + writesPerSecond);
        }
        this.writesPerSecond = writesPerSecond;
        this.maxWaitNanos = maxWait.toNanos();
        this.key = key;
    }

    @Override
    public void beforeStatement(SqlStatement s) {
        if (s.kind() != SqlStatement.Kind.UPDATE && s.kind() != SqlStatement.Kind.BATCH) {
            return;
        }
        String k = key.apply(s);
        Bucket bucket = buckets.computeIfAbsent(k, ignored -> new Bucket(writesPerSecond));
        long waitNanos = bucket.reserve(s.batchSize(), maxWaitNanos);
        if (waitNanos < 0) {
            throw new Throttled("Writes to '" + k + "' are over " + writesPerSecond + "/s; retrying later");
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Throttled("Interrupted while throttled on '" + k + "'");
            }
        }
    }

    /** The table an INSERT, UPDATE or DELETE writes to; the statement's first word otherwise. */
    static String tableOf(SqlStatement s) {
        String[] words = s.sql().strip().split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        int at = switch (verb) {
            case "insert", "delete" -> 2;   // insert into T / delete from T
            case "update" -> 1;
            default -> 0;
        };
        String table = at < words.length ? words[at] : verb;
        int paren = table.indexOf('(');
        return (paren > 0 ? table.substring(0, paren) : table).toLowerCase(Locale.ROOT);
    }

    /** A token bucket that hands out reservations: the caller sleeps for its slot outside the lock. */
    private static final class Bucket {
        private final double nanosPerToken;
        private long nextFreeNanos;

        Bucket(double perSecond) {
            this.nanosPerToken = 1e9 / perSecond;
            this.nextFreeNanos = System.nanoTime();
        }

        /** Nanoseconds to wait for {@code tokens}, or -1 when that is longer than {@code maxWait} (nothing reserved). */
        synchronized long reserve(int tokens, long maxWait) {
            long now = System.nanoTime();
            long start = Math.max(nextFreeNanos, now);
            long wait = start - now;
            if (wait > maxWait) {
                return -1;
            }
            nextFreeNanos = start + (long) (nanosPerToken * tokens);
            return wait;
        }
    }
}
