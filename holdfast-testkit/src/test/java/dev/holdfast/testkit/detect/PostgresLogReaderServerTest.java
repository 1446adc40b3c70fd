package dev.holdfast.testkit.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 15 log: a server of its own with {@code log_statement=all}, pgjdbc code run against it from two
 * threads at once (a naive read-modify-write of a balance, and its safe version), the log read back and analysed.
 */
class PostgresLogReaderServerTest {
    private static ThrowawayPostgres server;

    @BeforeAll
    static void start() throws Exception {
        server = ThrowawayPostgres.start();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, balance int not null)");
            s.execute("insert into account values (1, 100), (2, 100), (3, 100)");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The naive way: read the balance, compute in Java, write the absolute value back. */
    static void naiveWithdraw(Connection c, int id, int amount) throws SQLException {
        c.setAutoCommit(false);
        int balance;
        try (PreparedStatement read = c.prepareStatement("select balance from account where id = ?")) {
            read.setInt(1, id);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                balance = rs.getInt(1);
            }
        }
        try (PreparedStatement write = c.prepareStatement("update account set balance = ? where id = ?")) {
            write.setInt(1, balance - amount);
            write.setInt(2, id);
            write.executeUpdate();
        }
        c.commit();
    }

    /** The safe way: one statement, relative to the row as it is when the update runs. */
    static void safeWithdraw(Connection c, int id, int amount) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement write = c.prepareStatement("update account set balance = balance - ? where id = ?")) {
            write.setInt(1, amount);
            write.setInt(2, id);
            write.executeUpdate();
        }
        c.commit();
    }

    interface Withdrawal {
        void run(Connection c, int id, int amount) throws SQLException;
    }

    private static void twoThreads(Withdrawal w, int id) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> done = pool.invokeAll(List.of(() -> times(w, id), () -> times(w, id)));
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Object times(Withdrawal w, int id) throws SQLException {
        try (Connection c = server.connect()) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            for (int i = 0; i < 7; i++) { // past pgjdbc's prepareThreshold (5): named statements S_n show up too
                w.run(c, id, 1);
            }
        }
        return null;
    }

    /**
     * A prefix without {@code [%p]}: the session id {@code %c} (hex start time and pid), the transaction id {@code %x}
     * and {@code %u@%d}, set on the running server, so the log holds both prefixes.
     */
    @Test
    void aPrefixWithTheSessionIdInsteadOfThePid() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("alter system set log_line_prefix = '%m %c %x %u@%d '");
            s.execute("select pg_reload_conf()");
        }
        long before = Files.size(server.log());
        Thread.sleep(200); // the postmaster and then each backend pick up the reloaded setting
        try (Connection c = server.connect()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            naiveWithdraw(c, 3, 1);
            safeWithdraw(c, 3, 1);
        } finally {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("alter system reset log_line_prefix");
                s.execute("select pg_reload_conf()");
            }
        }
        String text = Files.readString(server.log()).substring((int) before);
        assertThat(text).doesNotContain("] LOG:  execute").containsPattern("[0-9a-f]+\\.[0-9a-f]+ \\d+ postgres@postgres LOG:  execute");
        List<RecordedTransaction> read = PostgresLogReader.create().readString(text).stream()
                .filter(t -> t.statements().get(0).sql().contains("account")).toList();
        assertThat(read).hasSize(2).allSatisfy(t -> {
            assertThat(t.isolation()).isEqualTo("REPEATABLE READ");
            assertThat(t.ending()).isEqualTo(Ending.COMMIT);
            assertThat(t.session()).isEqualTo(read.get(0).session()).matches("pid \\d+");
        });
        assertThat(read.get(0).statements()).hasSize(2);
        assertThat(read.get(1).statements()).singleElement().extracting(RecordedStatement::sql)
                .isEqualTo("update account set balance = balance - ? where id = ?");
    }

    @Test
    void aNaiveReadModifyWriteInTheLogIsALostUpdateAndTheSafeOneIsNot() throws Exception {
        twoThreads(PostgresLogReaderServerTest::naiveWithdraw, 1);
        twoThreads(PostgresLogReaderServerTest::safeWithdraw, 2);
        Path log = server.log();
        String text = Files.readString(log);
        assertThat(text).contains("execute <unnamed>: select balance from account where id = $1").contains("DETAIL:  parameters: $1 = '1'");

        List<RecordedTransaction> all = PostgresLogReader.read(log);
        // account 1 and 2 are this test's (aPrefixWithTheSessionIdInsteadOfThePid uses account 3)
        List<RecordedTransaction> naive = all.stream().filter(t -> t.statements().get(0).sql().startsWith("select balance")
                && t.statements().get(0).parameters().equals(List.of("1"))).toList();
        List<RecordedTransaction> safe = all.stream().filter(t -> t.statements().get(0).sql().contains("balance - ?")
                && t.statements().get(0).parameters().get(1).equals("2")).toList();
        assertThat(naive).hasSize(14).allSatisfy(t -> {
            assertThat(t.ending()).isEqualTo(Ending.COMMIT);
            assertThat(t.isolation()).isEqualTo("READ COMMITTED");
            assertThat(t.database()).isEqualTo(DatabaseKind.POSTGRES);
            assertThat(t.statements()).extracting(RecordedStatement::sql)
                    .containsExactly("select balance from account where id = ?", "update account set balance = ? where id = ?");
            assertThat(t.statements().get(0).parameters()).containsExactly("1");
            assertThat(t.statements().get(1).parameters()).hasSize(2).endsWith("1");
        });
        assertThat(naive.stream().map(RecordedTransaction::session).distinct()).hasSize(2);
        assertThat(safe).hasSize(14);

        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.url());
        Catalogue catalogue = Catalogue.of(ds);
        Report naiveReport = RaceDetector.analyse(naive, catalogue);
        assertThat(naiveReport.findings()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.LOST_UPDATE))
                .allSatisfy(f -> assertThat(f.status()).isEqualTo(Finding.Status.SUSPECTED));
        assertThat(RaceDetector.analyse(safe, catalogue).findings()).isEmpty();
        // everything the log holds, together: the naive transactions are still found, nothing else is
        assertThat(RaceDetector.analyse(all, catalogue).findings()).extracting(Finding::kind).containsOnly(Finding.Kind.LOST_UPDATE);
    }
}
