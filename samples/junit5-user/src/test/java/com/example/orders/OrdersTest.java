package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.holdfast.Database;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.DatabaseTest;
import dev.holdfast.testkit.Exploration;
import dev.holdfast.testkit.Interleaver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** What a user writes: an explorer test per database, and an isolated ordinary test, under the user's JUnit. */
class OrdersTest {

    @EachDatabase
    void theGuardedIncrementNeverLosesAWrite(TestDatabase tdb, TestInfo info) {
        Exploration result = Interleaver.on(tdb)
                .setup(db -> {
                    db.execute("create table counter (id int primary key, n int not null)");
                    db.execute("insert into counter (id, n) values (1, 0)");
                })
                .actor("A", db -> new Counter(db).increment(1))
                .actor("B", db -> new Counter(db).increment(1))
                .serializable("select n from counter")
                .build()
                .explore();
        assertEquals(java.util.Optional.empty(), result.firstFailure().map(Object::toString), result.toString());
        assertEquals(tdb.kind().name().toLowerCase(java.util.Locale.ROOT), info.getDisplayName());
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void runsOnlyWhereAsked(TestDatabase tdb) {
        assertEquals(DatabaseKind.SQLITE, tdb.kind());
    }

    static void schema(Database db) {
        db.execute("create table orders (id int primary key, total int not null)");
    }

    @DatabaseTest(setup = "schema")
    void placesAnOrder(Database db) {
        db.transact(tx -> tx.execute("insert into orders values (1, 10)"));
        assertEquals(1L, db.queryScalar(Long.class, "select count(*) from orders"));
    }

    /** The JUnit this build asked for (-Djunit.version) is the one that ran these tests. */
    @Test
    void runsUnderTheRequestedJUnit() {
        assertEquals(System.getProperty("expectedJunit"), Test.class.getPackage().getImplementationVersion());
    }
}
