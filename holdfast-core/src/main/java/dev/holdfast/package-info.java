/**
 * Holdfast: transactions that never silently lose a write. Start with {@link dev.holdfast.Database}: open one per
 * database, run work in {@link dev.holdfast.Database#transact} (retried as a whole on a conflict) or
 * {@link dev.holdfast.Database#read}, and register side effects with
 * {@link dev.holdfast.Transaction#afterCommit(Runnable)}.
 *
 * <pre>{@code
 * try (Database db = Database.open("jdbc:sqlite:app.db")) {
 *     db.transact(tx -> tx.execute("update counter set n = n + 1 where id = ?", 1));
 * }
 * }</pre>
 *
 * <p>Rows as Java records live in {@link dev.holdfast.record}; every exception Holdfast throws is in
 * {@link dev.holdfast.error}.
 */
package dev.holdfast;
