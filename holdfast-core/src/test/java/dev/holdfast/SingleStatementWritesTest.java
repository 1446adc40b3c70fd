package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.error.BusyException;
import dev.holdfast.error.UniqueViolationException;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes of one statement on their own ({@code db.execute}, {@code db.insert}) from many threads at once, mixed with
 * transactions. On SQLite such a write runs alone in autocommit, in the caller's thread, when the writer is free, and
 * joins a group commit when it is not: either way nothing acknowledged is lost, no "database is locked" reaches the
 * caller or even a listener, and a failing statement is typed as it is in a transaction.
 */
class SingleStatementWritesTest {

    @Table("entry")
    record Entry(@Id Long id, String who) {
    }

    private static String generatedId(DatabaseKind kind) {
        return switch (kind) {
            case SQLITE -> "id integer primary key autoincrement";
            case POSTGRES -> "id bigserial primary key";
            case MARIADB -> "id bigint auto_increment primary key";
        };
    }

    @EachDatabase
    void eightThreadsOfSingleStatementsAndTransactionsLoseNothing(TestDatabase t) throws Exception {
        List<StatementOutcome> failed = new CopyOnWriteArrayList<>();
        StatementListener failures = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                if (o.failed()) {
                    failed.add(o);
                }
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(failures))) {
            db.execute("create table counter (id int primary key, n bigint not null)");
            db.execute("create table item (id int primary key, who varchar(20) not null)");
            db.execute("create table entry (" + generatedId(t.kind()) + ", who varchar(20) not null)");
            db.execute("insert into counter (id, n) values (1, 0)");
            db.execute("insert into item (id, who) values (-1, 'taken')");
            int threads = 8;
            int each = 120;
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger transactions = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            int id = worker * each + i;
                            switch (i % 6) {
                                case 0, 1 -> assertThat(db.execute("insert into item (id, who) values (?, ?)", id,
                                        "w" + worker)).isEqualTo(1);
                                case 2 -> assertThat(db.execute("update counter set n = n + 1 where id = 1"))
                                        .isEqualTo(1);
                                case 3 -> assertThat(db.insert(new Entry(null, "w" + worker)).id()).isNotNull();
                                case 4 -> {
                                    // a duplicate key on its own: typed as in a transaction, and nothing else changes
                                    assertThatThrownBy(() -> db.execute("insert into item (id, who) values (-1, ?)",
                                            "w" + worker)).isInstanceOf(UniqueViolationException.class);
                                    duplicates.incrementAndGet();
                                }
                                default -> {
                                    db.useTransaction(tx -> {
                                        tx.execute("insert into item (id, who) values (?, ?)", id, "t" + worker);
                                        tx.execute("update counter set n = n + 1 where id = 1");
                                    });
                                    transactions.incrementAndGet();
                                }
                            }
                        }
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }, "writer-" + w);
                thread.start();
                all.add(thread);
            }
            go.countDown();
            for (Thread thread : all) {
                thread.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
            }
            assertThat(unexpected).isEmpty();
            int perThread = each / 6;
            assertThat(duplicates.get()).isEqualTo(threads * perThread);
            assertThat(db.queryScalar(Long.class, "select count(*) from item where id >= 0"))
                    .isEqualTo((long) threads * perThread * 3);   // two single inserts and one transaction per six
            assertThat(db.queryScalar(Long.class, "select n from counter where id = 1"))
                    .isEqualTo((long) threads * perThread + transactions.get());
            assertThat(db.queryScalar(Long.class, "select count(*) from entry")).isEqualTo((long) threads * perThread);
            assertThat(db.queryScalar(String.class, "select who from item where id = -1")).isEqualTo("taken");
            if (t.kind() == DatabaseKind.SQLITE) {
                // one writer at a time in this process: not even a retried busy error, only the duplicates failed
                assertThat(failed).noneMatch(o -> o.error() instanceof BusyException);
                assertThat(failed).allMatch(o -> o.error() instanceof UniqueViolationException, "only duplicates");
            }
        }
    }

    @EachDatabase(DatabaseKind.SQLITE)
    void aLoneStatementRunsInAutocommitAndAFailingOneIsTypedAndLeavesNothing(TestDatabase t) {
        List<StatementOutcome> seen = new CopyOnWriteArrayList<>();
        StatementListener recorder = new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                seen.add(o);
            }
        };
        try (Database db = Databases.open(t, b -> b.listener(recorder))) {
            db.execute("create table item (id int primary key, n int not null check (n >= 0))");
            seen.clear();
            db.execute("insert into item (id, n) values (1, 0)");
            assertThatThrownBy(() -> db.execute("insert into item (id, n) values (1, 5)"))
                    .isInstanceOf(UniqueViolationException.class);
            assertThatThrownBy(() -> db.execute("update item set n = n - 1 where id = 1"))
                    .isInstanceOf(dev.holdfast.error.ConstraintViolationException.class);
            assertThat(seen).extracting(o -> o.statement().kind()).containsOnly(SqlStatement.Kind.UPDATE);
            assertThat(seen).allSatisfy(o -> assertThat(o.statement().attempt()).isZero());
            assertThat(seen).extracting(StatementOutcome::failed).containsExactly(false, true, true);
            assertThat(db.queryScalar(Long.class, "select n from item where id = 1")).isZero();
            // a transaction that fails after a statement that worked is still rolled back whole
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.execute("update item set n = 7 where id = 1");
                tx.execute("insert into item (id, n) values (1, 1)");
            })).isInstanceOf(UniqueViolationException.class);
            assertThat(db.queryScalar(Long.class, "select n from item where id = 1")).isZero();
        }
    }
}
