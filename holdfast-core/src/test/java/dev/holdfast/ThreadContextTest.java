package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * The transaction body sees the caller's SLF4J MDC on every database: on SQLite it runs on the writer thread, which
 * carries the submitting thread's MDC while the body runs and nothing of it afterwards (docs/transactions.md).
 */
class ThreadContextTest {
    private static final int THREADS = 6;
    private static final int PER_THREAD = 20;

    @EachDatabase
    void theBodySeesTheCallersMdcFromManyThreadsAtOnce(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table seen (caller varchar(20) not null, mdc varchar(20))");
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    String caller = "request-" + i;
                    done.add(pool.submit(() -> {
                        MDC.put("request", caller);
                        try {
                            start.await(30, TimeUnit.SECONDS);   // all threads submit together: SQLite groups them
                            for (int n = 0; n < PER_THREAD; n++) {
                                db.useTransaction(tx -> tx.execute("insert into seen values (?, ?)", caller,
                                        MDC.get("request")));
                            }
                        } finally {
                            MDC.clear();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from seen")).isEqualTo((long) THREADS * PER_THREAD);
            assertThat(db.queryScalar(Long.class,
                    "select count(*) from seen where mdc is null or mdc <> caller")).isZero();

            // A caller without an MDC sees none: nothing is left behind on the writer thread by the callers before.
            String leftOver = db.transact(tx -> {
                tx.execute("insert into seen values ('none', null)");
                return MDC.get("request");
            });
            assertThat(leftOver).isNull();
        }
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void transactAsyncCarriesTheMdcOfTheThreadThatQueuedIt(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            db.execute("create table seen (mdc varchar(20))");
            MDC.setContextMap(Map.of("request", "async-1"));
            CompletableFuture<String> seen;
            try {
                seen = db.transactAsync(tx -> {
                    tx.execute("insert into seen values (?)", MDC.get("request"));
                    return MDC.get("request");
                });
            } finally {
                MDC.clear();
            }
            assertThat(seen.get(60, TimeUnit.SECONDS)).isEqualTo("async-1");
            assertThat(db.queryScalar(String.class, "select mdc from seen")).isEqualTo("async-1");
        }
    }
}
