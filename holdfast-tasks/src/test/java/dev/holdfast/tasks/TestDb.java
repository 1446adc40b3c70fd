package dev.holdfast.tasks;

import dev.holdfast.Database;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Opens a {@link Database} on a test database, and waits for conditions with a generous bound. */
final class TestDb {
    private TestDb() {
    }

    static Database open(TestDatabase t) {
        return open(t, Database.builder(t.url()).poolSize(16));
    }

    /** A Database that counts in {@code claims} every claim statement it sends (a batch claim counts once). */
    static Database countingClaims(TestDatabase t, AtomicInteger claims) {
        return open(t, Database.builder(t.url()).poolSize(16).listener(new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement statement) {
                if (statement.sql() != null && statement.sql().contains("from holdfast_task where type in (")) {
                    claims.incrementAndGet();
                }
            }
        }));
    }

    /** A Database on a test database that child JVMs write too (on SQLite: {@code multiProcess}). */
    static Database openShared(TestDatabase t) {
        Database.Builder b = Database.builder(t.url()).poolSize(8);
        if (t.url().startsWith("jdbc:sqlite:")) {
            b.multiProcess(true);
        }
        return open(t, b);
    }

    /**
     * For a child JVM's {@code main}: a Database from its first three arguments (url, user or "-", password or
     * "-"), beside other processes (on SQLite: {@code multiProcess}).
     */
    static Database openInChild(String[] args, int poolSize) {
        Database.Builder b = Database.builder(args[0]).poolSize(poolSize);
        if (!args[1].equals("-")) {
            b.user(args[1]);
        }
        if (!args[2].equals("-")) {
            b.password(args[2]);
        }
        if (args[0].startsWith("jdbc:sqlite:")) {
            b.multiProcess(true);   // several worker processes write the same file
        }
        return b.build();
    }

    private static Database open(TestDatabase t, Database.Builder b) {
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return b.build();
    }

    /** Polls until {@code done}; fails with {@code what} after {@code bound} (a last resort on a loaded machine). */
    static void await(String what, Duration bound, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The effects table the test handlers write their steps into. */
    static void createEffects(Database db) {
        db.execute("create table effect (task_id varchar(36) not null, step int not null, worker varchar(200))");
    }
}
