package dev.holdfast.testkit;

import dev.holdfast.Database;

/**
 * Creates the state every schedule starts from: tables and rows. It runs before every schedule on an empty database.
 *
 * <pre>{@code
 * Setup counter = db -> {
 *     db.execute("create table counter (id int primary key, n int not null)");
 *     db.execute("insert into counter values (1, 0)");
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Setup {
    void run(Database db) throws Exception;
}
