package dev.holdfast.record;

import dev.holdfast.error.NotFoundException;
import dev.holdfast.internal.LockWait;
import dev.holdfast.internal.RowLock;
import dev.holdfast.internal.SelectQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A query for rows of one record type that reads like the SQL it sends. Made by {@link
 * dev.holdfast.Transaction#select(Class)};
 * nothing is sent until {@link #list()}, {@link #one()} or {@link #optional()}.
 *
 * <pre>{@code
 * List<Job> ready = tx.select(Job.class)
 *     .where("state = ?", State.READY)
 *     .orderBy("created_at")
 *     .limit(10)
 *     .forUpdate().skipLocked()
 *     .list();
 * }</pre>
 *
 * <p>Locking reads are translated for each database: {@code FOR UPDATE} / {@code FOR SHARE} on PostgreSQL,
 * {@code FOR UPDATE} / {@code LOCK IN SHARE MODE} on MariaDB, each with {@code NOWAIT} or {@code SKIP LOCKED}. On
 * SQLite a write transaction already holds the database's only write lock, so the rows are as locked as they can be
 * and no suffix is sent. In a read-only transaction a locking read is refused on every database: the lock would end
 * with the statement, so it would protect nothing.
 */
public final class Select<T> {

    private final SelectQuery<T> query;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> args = new ArrayList<>();
    private String orderBy;
    private int limit = -1;
    private RowLock lock = RowLock.NONE;
    private LockWait wait = LockWait.WAIT;

    /** Made by {@code tx.select(Type.class)}; not meant to be called directly. */
    public Select(SelectQuery<T> query) {
        this.query = query;
    }

    /**
     * Adds a condition, with {@code ?} placeholders for its values; several calls are joined with AND.
     *
     * <pre>{@code .where("owner_id = ?", ownerId).where("state in (?, ?)", READY, RETRY)}</pre>
     */
    public Select<T> where(String condition, Object... values) {
        where.append(where.length() == 0 ? " WHERE (" : " AND (").append(condition).append(')');
        if (values != null) {
            args.addAll(List.of(values));
        }
        return this;
    }

    /** Sets the ORDER BY clause, e.g. {@code orderBy("created_at desc, id")}. */
    public Select<T> orderBy(String columns) {
        this.orderBy = columns;
        return this;
    }

    /** Returns at most {@code n} rows. */
    public Select<T> limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be zero or more, got " + n);
        }
        this.limit = n;
        return this;
    }

    /** Locks the rows read against writers and other locking reads until the transaction ends. */
    public Select<T> forUpdate() {
        this.lock = RowLock.UPDATE;
        return this;
    }

    /** Locks the rows read against writers (other readers may share the lock) until the transaction ends. */
    public Select<T> forShare() {
        this.lock = RowLock.SHARE;
        return this;
    }

    /** With a lock: fail at once with {@link dev.holdfast.error.LockTimeoutException} instead of waiting for a row someone else locked. */
    public Select<T> noWait() {
        this.wait = LockWait.NOWAIT;
        return this;
    }

    /** With a lock: leave out rows someone else has locked (a work queue's way to share jobs between workers). */
    public Select<T> skipLocked() {
        this.wait = LockWait.SKIP_LOCKED;
        return this;
    }

    /** Runs the query; every matching row. */
    public List<T> list() {
        return query.list(sql(), args.toArray());
    }

    /** Runs the query; the one matching row, or {@link NotFoundException}. More than one row is an error. */
    public T one() {
        return optional().orElseThrow(() -> new NotFoundException("No " + query.typeName()
                + " matched " + sql() + " " + args));
    }

    /** Runs the query; the matching row if there is one. More than one row is an error. */
    public Optional<T> optional() {
        return query.optional(sql(), args.toArray());
    }

    private String sql() {
        return query.sql(where.toString(), orderBy, limit, lock, wait);
    }
}
