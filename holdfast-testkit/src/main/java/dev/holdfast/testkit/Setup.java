package dev.holdfast.testkit;

import dev.holdfast.Database;

/**
 * Creates the state every schedule starts from: tables and rows, on an empty database. On SQLite it runs before every
 * schedule; on PostgreSQL and MariaDB once per exploration, and the tables, sequences and AUTO_INCREMENT counters it
 * left are restored from a snapshot before every later schedule. A setup that does more — resets JVM state the
 * actors or invariants use, changes a server setting — needs {@link Interleaver.Builder#rerunSetup()} to run before
 * every schedule.
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
