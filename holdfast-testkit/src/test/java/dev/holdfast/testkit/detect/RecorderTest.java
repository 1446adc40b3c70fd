package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** The recorder sees statements, bound values, batches, transaction boundaries and isolation levels. */
class RecorderTest {

    @EachDatabase
    void aWrappedDataSourceRecordsTransactionsWithTheirValuesAndLevel(TestDatabase tdb) throws Exception {
        RaceDetector detector = RaceDetector.create();
        DataSource ds = detector.wrap(tdb.dataSource());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("create table account (id int primary key, balance int not null)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into account (id, balance) values (?, ?)")) {
                ps.setInt(1, 1);
                ps.setInt(2, 100);
                ps.addBatch();
                ps.setInt(1, 2);
                ps.setNull(2, java.sql.Types.INTEGER);
                ps.addBatch();
                try {
                    ps.executeBatch();
                } catch (Exception notNull) {
                    c.rollback();
                }
            }
            if (tdb.kind() != DatabaseKind.SQLITE) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into account (id, balance) values (?, ?)")) {
                ps.setInt(1, 1);
                ps.setLong(2, 50L);
                ps.executeUpdate();
            }
            c.commit();
        }
        List<RecordedTransaction> t = detector.transactions();
        assertThat(t).hasSize(3);
        assertThat(t.get(0).ending()).isEqualTo(Ending.COMMIT);
        assertThat(t.get(0).statements()).singleElement().extracting(RecordedStatement::sql).asString()
                .startsWith("create table");
        assertThat(t.get(1).ending()).isEqualTo(Ending.ROLLBACK);
        assertThat(t.get(1).statements()).extracting(RecordedStatement::parameters)
                .containsExactly(List.of(1, 100), java.util.Arrays.asList(2, null));
        assertThat(t.get(2).ending()).isEqualTo(Ending.COMMIT);
        assertThat(t.get(2).statements().get(0).parameters()).containsExactly(1, 50L);
        assertThat(t.get(2).database()).isEqualTo(tdb.kind());
        String defaultLevel = switch (tdb.kind()) {
            case SQLITE -> "SERIALIZABLE";
            case POSTGRES -> "READ COMMITTED";
            case MARIADB -> "REPEATABLE READ";
        };
        assertThat(t.get(1).isolation()).isEqualTo(defaultLevel);
        assertThat(t.get(2).isolation()).isEqualTo(tdb.kind() == DatabaseKind.SQLITE ? "SERIALIZABLE" : "REPEATABLE READ");

        Path file = Files.createTempFile("races", ".trace");
        TraceFile.write(file, t);
        List<RecordedTransaction> back = TraceFile.read(file);
        assertThat(back).extracting(RecordedTransaction::ending).containsExactly(Ending.COMMIT, Ending.ROLLBACK,
                Ending.COMMIT);
        assertThat(back.get(2).statements().get(0).parameters()).containsExactly(1L, 50L);
        Files.delete(file);
    }

    @EachDatabase
    void theHoldfastListenerTellsAStatementOnItsOwnFromTheTransactionAfterIt(TestDatabase tdb) {
        RaceDetector detector = RaceDetector.create();
        try (Database db = Database.builder(tdb.dataSource()).listener(detector.listener()).build()) {
            db.execute("create table account (id int primary key, balance int not null)");
            db.execute("insert into account values (1, 100)");
            detector.clear();
            long balance = db.queryScalar(Long.class, "select balance from account where id = ?", 1);
            db.useTransaction(tx -> {
                tx.queryScalar(Long.class, "select count(*) from account");
                tx.execute("update account set balance = ? where id = ?", balance - 10, 1);
            });
            List<RecordedTransaction> t = detector.transactions();
            assertThat(t).hasSize(2);
            assertThat(t.get(0).statements()).singleElement().extracting(RecordedStatement::sql).asString()
                    .startsWith("select balance");
            assertThat(t.get(1).statements()).extracting(RecordedStatement::sql)
                    .containsExactly("select count(*) from account", "update account set balance = ? where id = ?");
            assertThat(t.get(1).ending()).isEqualTo(Ending.COMMIT);
            // the read on its own and the absolute write after it: a lost update on every database
            assertThat(detector.analyse(tdb.dataSource()).findings())
                    .extracting(Finding::kind).contains(Finding.Kind.LOST_UPDATE);
        }
    }

    @EachDatabase
    void sqlTransactionControlIsFollowed(TestDatabase tdb) throws Exception {
        RaceDetector detector = RaceDetector.create();
        DataSource ds = detector.wrap(tdb.dataSource());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("create table t (id int primary key)");
            st.execute(tdb.kind() == DatabaseKind.MARIADB ? "start transaction" : "begin");
            st.execute("insert into t values (1)");
            st.execute("insert into t values (2)");
            st.execute("commit");
            st.execute("insert into t values (3)");
        }
        List<RecordedTransaction> t = detector.transactions();
        assertThat(t).extracting(x -> x.statements().size()).containsExactly(1, 2, 1);
    }

    @EachDatabase
    void theHoldfastListenerRecordsOneSessionPerThread(TestDatabase tdb) {
        RaceDetector detector = RaceDetector.create();
        try (Database db = Database.builder(tdb.url()).user(tdb.user()).password(tdb.password())
                .listener(detector.listener()).build()) {
            db.execute("create table counter (id int primary key, n int not null)");
            db.execute("insert into counter (id, n) values (?, ?)", 1, 0);
            db.transact(tx -> {
                int n = tx.queryScalar(Integer.class, "select n from counter where id = ?", 1);
                return tx.execute("update counter set n = ? where id = ?", n + 1, 1);
            });
        }
        List<RecordedTransaction> t = detector.transactions();
        RecordedTransaction last = t.get(t.size() - 1);
        // Holdfast reports statements outside a transaction with attempt 1 and no COMMIT, so the listener cannot
        // separate them from the JDBC transaction that follows on the same thread: only the end is certain
        assertThat(last.statements()).extracting(RecordedStatement::sql)
                .endsWith("select n from counter where id = ?", "update counter set n = ? where id = ?");
        assertThat(last.statements().get(last.statements().size() - 1).parameters()).containsExactly(1, 1);
        assertThat(last.ending()).isEqualTo(Ending.COMMIT);
        assertThat(last.session()).isEqualTo("thread " + Thread.currentThread().getName());
    }

    @EachDatabase
    void threadsRecordingAtOnceKeepTheirTransactionsApart(TestDatabase tdb) throws Exception {
        RaceDetector detector = RaceDetector.create();
        DataSource raw = tdb.dataSource();
        try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
            st.execute("create table t (id int primary key, v int not null)");
        }
        DataSource ds = detector.wrap(raw);
        int threads = 4;
        int perThread = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int th = 0; th < threads; th++) {
            int base = th * 1000;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    for (int attempt = 0; ; attempt++) {
                        try (Connection c = ds.getConnection()) {
                            c.setAutoCommit(false);
                            try (PreparedStatement ps = c.prepareStatement("insert into t (id, v) values (?, ?)")) {
                                ps.setInt(1, base + i);
                                ps.setInt(2, base);
                                ps.executeUpdate();
                                ps.setInt(1, base + i + 500);
                                ps.executeUpdate();
                            }
                            c.commit();
                            break;
                        } catch (java.sql.SQLException busy) {
                            if (attempt > 50) {
                                throw busy;    // SQLite: another writer held the file; try again
                            }
                            Thread.sleep(5);
                        }
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<RecordedTransaction> committed = detector.transactions().stream()
                .filter(t -> t.ending() == Ending.COMMIT).toList();
        assertThat(committed).hasSize(threads * perThread);
        for (RecordedTransaction t : committed) {
            // both statements of a transaction are one thread's: same v, ids i and i + 500
            assertThat(t.statements()).hasSize(2);
            Object v = t.statements().get(0).parameters().get(1);
            assertThat(t.statements().get(1).parameters().get(1)).isEqualTo(v);
            assertThat((Integer) t.statements().get(1).parameters().get(0))
                    .isEqualTo((Integer) t.statements().get(0).parameters().get(0) + 500);
        }
    }

    @org.junit.jupiter.api.Test
    void aFileThatIsNotATraceIsRefusedByName() throws Exception {
        Path file = Files.createTempFile("not-a-trace", ".log");
        Files.writeString(file, "2026-11-29 LOG:  statement: select 1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a race detector trace")
                .hasMessageContaining("PostgresLogReader");
        Files.delete(file);
    }
}
