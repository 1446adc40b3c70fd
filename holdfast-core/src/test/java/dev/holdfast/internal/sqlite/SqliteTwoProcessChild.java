package dev.holdfast.internal.sqlite;

import dev.holdfast.Database;
import dev.holdfast.Retry;
import dev.holdfast.StatementListener;
import dev.holdfast.StatementOutcome;
import dev.holdfast.error.BusyException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a child JVM by {@link SqliteTwoProcessTest}: increments a counter {@code args[1]} times in
 * {@code multiProcess(true)} mode with no busy wait inside SQLite, so every collision with the parent is a
 * {@link BusyException} that the retry loop handles. Prints {@code busy} when it first sees one, and
 * {@code done <busy errors>} at the end.
 */
public final class SqliteTwoProcessChild {
    private SqliteTwoProcessChild() {
    }

    public static void main(String[] args) {
        String file = args[0];
        int increments = Integer.parseInt(args[1]);
        AtomicInteger busy = new AtomicInteger();
        StatementListener countBusy = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                if (o.error() instanceof BusyException && busy.incrementAndGet() == 1) {
                    System.out.println("busy");
                    System.out.flush();
                }
            }
        };
        try (Database db = SqliteTwoProcessTest.open(file, countBusy)) {
            for (int i = 0; i < increments; i++) {
                db.useTransaction(tx -> {
                    long n = tx.queryScalar(Long.class, "select n from counter where id = 1");
                    tx.execute("update counter set n = ? where id = 1", n + 1);
                });
            }
        }
        System.out.println("done " + busy.get());
        System.out.flush();
    }

    static Retry patient() {
        return Retry.exponential(10_000, Duration.ofMillis(1), Duration.ofMillis(20));
    }
}
