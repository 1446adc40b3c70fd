package dev.holdfast.tasks;

import dev.holdfast.Database;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Opens a {@link Database} on a test database, and waits for conditions with a generous bound. */
final class TestDb {
    private TestDb() {
    }

    static Database open(TestDatabase t) {
        Database.Builder b = Database.builder(t.url()).poolSize(16);
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
