package dev.holdfast.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

class EachDatabaseTest {
    private static final List<String> ALL = new CopyOnWriteArrayList<>();
    private static final List<String> ONLY_POSTGRES = new CopyOnWriteArrayList<>();

    @EachDatabase
    void runsOncePerDatabaseNamedAfterIt(TestDatabase db, TestInfo info) {
        assertEquals(db.toString(), info.getDisplayName());
        ALL.add(db.toString());
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void runsOnlyOnTheNamedDatabases(TestDatabase db) {
        assertEquals(DatabaseKind.POSTGRES, db.kind());
        ONLY_POSTGRES.add(db.toString());
    }

    @AfterAll
    static void everyInvocationRan() {
        assertEquals(List.of("sqlite", "postgres", "mariadb"), ALL);
        assertEquals(List.of("postgres"), ONLY_POSTGRES);
    }
}
