/**
 * Rows as Java records: annotate a record with {@link dev.holdfast.record.Table}, its key with
 * {@link dev.holdfast.record.Id} and, for optimistic writes, a {@link dev.holdfast.record.Version}; then read and write
 * it through a transaction ({@code tx.find}, {@code tx.modify}, {@code tx.update}, {@code tx.select}).
 *
 * <pre>{@code
 * @Table("counter")
 * record Counter(@Id Long id, long count) {}
 *
 * import static dev.holdfast.record.Update.*;
 * Counter c = db.update(Counter.class, id, set(Counter::count, plus(1)));   // one atomic UPDATE
 * }</pre>
 *
 * <p>{@link dev.holdfast.record.Update} builds atomic updates the database computes from the current row, typed by
 * {@link dev.holdfast.record.Property} (a record accessor); {@link dev.holdfast.record.Condition} guards them
 * ({@code db.updateIf}, {@code db.applyIf}); {@link dev.holdfast.record.Copyable} copies a record with one component
 * changed, for {@code modify}; {@link dev.holdfast.record.Select} builds queries, locking ones included. See
 * {@code docs/records.md}.
 */
package dev.holdfast.record;
