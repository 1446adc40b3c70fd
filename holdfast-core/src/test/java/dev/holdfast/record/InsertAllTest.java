package dev.holdfast.record;

import static dev.holdfast.record.TestRecords.Counter;
import static dev.holdfast.record.TestRecords.Thing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.error.UniqueViolationException;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code insertAll} of many rows: on SQLite in multi-row INSERTs of up to {@link RecordSql#MAX_ROWS_PER_INSERT} rows
 * plus single-row INSERTs for the rest, on the servers as a JDBC batch. Every row arrives with its own values, a clash
 * in any chunk undoes the whole call, and concurrent calls lose nothing.
 */
class InsertAllTest {

    /** More rows than two chunks, not a multiple of one, generated and given ids mixed. */
    @EachDatabase
    void everyRowArrivesWithItsOwnValues(TestDatabase t) {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Database db = Databases.open(t, b -> b.listener(new StatementListener() {
            @Override
            public void beforeStatement(SqlStatement st) {
                if (st.kind() == SqlStatement.Kind.BATCH) {
                    sent.add(st.sql() + " x" + st.batchSize());
                }
            }
        }))) {
            TestRecords.createTables(db, t.kind());
            List<Counter> rows = new ArrayList<>();
            for (int i = 0; i < 257; i++) {
                rows.add(new Counter(i % 3 == 0 ? (long) (100_000 + i) : null, i, i % 5 == 0 ? null : "note " + i));
            }
            assertThat(db.insertAll(rows)).isEqualTo(257);
            assertThat(db.queryScalar(Long.class, "select count(*) from counter")).isEqualTo(257L);
            for (Counter row : rows) {
                String where = row.id() != null ? "id = " + row.id() : "count = " + row.count();
                assertThat(db.query(Counter.class, "select * from counter where " + where))
                        .singleElement().satisfies(c -> {
                            assertThat(c.count()).isEqualTo(row.count());
                            assertThat(c.note()).isEqualTo(row.note());
                            if (row.id() != null) {
                                assertThat(c.id()).isEqualTo(row.id());
                            }
                        });
            }
            if (t.kind() == DatabaseKind.SQLITE) {
                // 86 with an id: one chunk of 100 is too many, so one plain batch; 171 generated: one chunk, 71 plain
                assertThat(sent).hasSize(3);
                assertThat(sent).filteredOn(s -> s.contains("), (")).hasSize(1);
            } else {
                assertThat(sent).hasSize(2).noneMatch(s -> s.contains("), ("));
            }
        }
    }

    @EachDatabase
    void aClashInALaterChunkUndoesTheWholeCall(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            db.insert(new Counter(250L, -1, "there first"));
            List<Counter> rows = new ArrayList<>();
            for (long id = 1; id <= 300; id++) {
                rows.add(new Counter(id, id, null));
            }
            assertThatThrownBy(() -> db.insertAll(rows)).isInstanceOf(UniqueViolationException.class);
            assertThat(db.queryScalar(Long.class, "select count(*) from counter")).isEqualTo(1L);
            // inside a transaction that catches the clash, the rest of the transaction still commits
            db.useTransaction(tx -> {
                tx.insert(new Counter(1L, 1, "kept"));
                try {
                    tx.savepoint(sp -> sp.insertAll(rows));
                } catch (UniqueViolationException expected) {
                    // undone to the savepoint
                }
            });
            assertThat(db.query(Counter.class, "select * from counter order by id")).extracting(Counter::note)
                    .containsExactly("kept", "there first");
        }
    }

    @EachDatabase
    void eightThreadsInsertingBatchesLoseNothing(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            TestRecords.createTables(db, t.kind());
            int threads = 8;
            int batches = 6;
            int size = 230;
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        for (int b = 0; b < batches; b++) {
                            List<Thing> rows = new ArrayList<>(size);
                            for (int i = 0; i < size; i++) {
                                rows.add(new Thing(null, worker, b * size + i, 0));
                            }
                            assertThat(db.insertAll(rows)).isEqualTo(size);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "inserter-" + w);
                thread.start();
                all.add(thread);
            }
            go.countDown();
            for (Thread thread : all) {
                thread.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
            }
            assertThat(failures).isEmpty();
            assertThat(db.queryScalar(Long.class, "select count(*) from thing")).isEqualTo((long) threads * batches * size);
            assertThat(db.queryScalar(Long.class, "select count(distinct foo * 100000 + bar) from thing"))
                    .isEqualTo((long) threads * batches * size);
        }
    }
}
