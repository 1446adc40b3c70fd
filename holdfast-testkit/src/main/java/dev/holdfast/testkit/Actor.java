package dev.holdfast.testkit;

import dev.holdfast.Database;

/**
 * The code of one actor: what one user, request or worker does, written against a {@link Database}. The interleaver
 * runs each actor on its own thread and lets its statements, commits and rollbacks through one at a time.
 *
 * <pre>{@code
 * Actor increment = db -> db.transact(tx -> {
 *     int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
 *     return tx.execute("update counter set n = ? where id = 1", n + 1);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Actor {
    void run(Database db) throws Exception;
}
