package dev.holdfast.replica;

import dev.holdfast.TransactionOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * What a read routed to a replica needs: the position it must see, how long it may wait for a replica to reach it
 * before going to the primary, and the read's transaction options.
 *
 * <pre>{@code
 * db.read(ReadOptions.after(token), tx -> tx.get(Profile.class, id));                  // sees the write behind token
 * db.read(ReadOptions.after(token).maxWait(Duration.ZERO), tx -> ...);                // a replica behind: primary at once
 * db.read(ReadOptions.anyReplica(), tx -> tx.queryScalar(Long.class, "select count(*) from event"));  // may be stale
 * }</pre>
 *
 * <p>Every read except {@link #anyReplica()} also waits for the writes this {@code Database} itself committed
 * ({@code db.lastCommit()}), so a plain {@code db.read(body)} after {@code db.transact(...)} sees its write.
 */
public final class ReadOptions {
    private static final ReadOptions DEFAULTS = new ReadOptions(CausalToken.none(), false, null, TransactionOptions.defaults());

    private final CausalToken after;
    private final boolean anyReplica;
    private final Duration maxWait;
    private final TransactionOptions transaction;

    private ReadOptions(CausalToken after, boolean anyReplica, Duration maxWait, TransactionOptions transaction) {
        this.after = after;
        this.anyReplica = anyReplica;
        this.maxWait = maxWait;
        this.transaction = transaction;
    }

    /** Read-your-writes for this {@code Database}: what {@code db.read(body)} uses. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Sees every write {@code token} covers (a token from another request or process), and this Database's own. */
    public static ReadOptions after(CausalToken token) {
        return new ReadOptions(Objects.requireNonNull(token, "token (use CausalToken.none() for none)"), false, null,
                TransactionOptions.defaults());
    }

    /**
     * Any replica that is up serves the read, however far behind it is, even behind this Database's own writes: for
     * reports and dashboards where a slightly old answer is fine.
     */
    public static ReadOptions anyReplica() {
        return new ReadOptions(CausalToken.none(), true, Duration.ZERO, TransactionOptions.defaults());
    }

    /**
     * How long the read may wait for a replica to reach its position before it goes to the primary instead;
     * {@link Duration#ZERO} goes to the primary at once. The Database's {@code replicaWait} unless set.
     */
    public ReadOptions maxWait(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be zero or positive, got " + maxWait);
        }
        return new ReadOptions(after, anyReplica, maxWait, transaction);
    }

    /** Isolation, retry and timeout of the read itself. */
    public ReadOptions transaction(TransactionOptions options) {
        return new ReadOptions(after, anyReplica, maxWait, Objects.requireNonNull(options, "options"));
    }

    /** The position the read must see, besides this Database's own writes. */
    public CausalToken after() {
        return after;
    }

    /** True when the read may be served however stale ({@link #anyReplica()}). */
    public boolean isAnyReplica() {
        return anyReplica;
    }

    /** The longest wait for a replica, or {@code null} for the Database's default. */
    public Duration maxWait() {
        return maxWait;
    }

    /** The read's transaction options. */
    public TransactionOptions transaction() {
        return transaction;
    }
}
