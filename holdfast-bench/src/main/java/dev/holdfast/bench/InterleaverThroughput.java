package dev.holdfast.bench;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testdb.TestDatabases;
import dev.holdfast.testkit.Actor;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;

/**
 * Schedules per second of the interleaver, state reset and oracles included, for the counter scenario: two actors of
 * three steps each (select, update, commit in one READ COMMITTED transaction; on SQLite an atomic update, BEGIN
 * IMMEDIATE, UPDATE, COMMIT) explored exhaustively: at most C(6,3) = 20 schedules. Prints one line per database and
 * repetition; the first repetition includes JIT warm-up and connection set-up.
 *
 * <pre>
 * mvn -q -pl holdfast-bench -am package -DskipTests
 * java -cp "$(cat holdfast-bench/target/cp.txt):holdfast-bench/target/classes:..." dev.holdfast.bench.InterleaverThroughput
 * </pre>
 */
public final class InterleaverThroughput {
    private InterleaverThroughput() {
    }

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (DatabaseKind kind : DatabaseKind.values()) {
            try (TestDatabase tdb = TestDatabases.fresh(kind)) {
                Actor increment = kind == DatabaseKind.SQLITE
                        ? db -> db.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1"))
                        : db -> db.transact(tx -> {
                            int n = tx.queryScalar(Integer.class, "select n from counter where id = 1");
                            return tx.execute("update counter set n = ? where id = 1", n + 1);
                        });
                Interleaver il = Interleaver.on(tdb)
                        .setup(db -> {
                            db.execute("create table counter (id int primary key, n int not null)");
                            db.execute("insert into counter (id, n) values (1, 0)");
                        })
                        .actor("A", increment)
                        .actor("B", increment)
                        .finalState("select n from counter")
                        .build();
                for (int r = 1; r <= repetitions; r++) {
                    Exploration e = il.explore();
                    double ms = e.elapsedNanos() / 1e6;
                    System.out.printf("%-8s run %d: %2d schedules in %7.1f ms = %6.1f schedules/s (%d failed)%n",
                            kind, r, e.schedules(), ms, e.schedules() * 1000 / ms, e.failures().size());
                }
            }
        }
    }
}
