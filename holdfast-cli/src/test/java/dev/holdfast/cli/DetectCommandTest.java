package dev.holdfast.cli;

import static dev.holdfast.cli.CliRun.args;
import static dev.holdfast.cli.CliRun.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import dev.holdfast.testkit.detect.RaceDetector;
import dev.holdfast.testkit.detect.TraceFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast detect} on a real PostgreSQL 15 log (src/test/resources/detect/pg15-withdraw.log, written by
 * PostgresLogReaderServerTest's server: pgjdbc running a naive and a safe withdrawal from two threads each) and on
 * trace files recorded from real databases.
 */
class DetectCommandTest {

    private static Path log(Path dir) throws Exception {
        Path file = dir.resolve("postgresql.log");
        try (InputStream in = DetectCommandTest.class.getResourceAsStream("/detect/pg15-withdraw.log")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aLogWithALostUpdateIsReportedAndExitsThree(@TempDir Path dir) throws Exception {
        CliRun.Outcome o = holdfast(List.of("detect", "--log", log(dir).toString()));
        assertThat(o.exitCode()).as(o.stderr()).isEqualTo(DetectCommand.FOUND);
        assertThat(o.stdout()).contains("LOST_UPDATE (SUSPECTED)").contains("update account set balance = ? where id = ?")
                .contains(DetectReport.NO_CATALOGUE).doesNotContain("balance - ?");
    }

    @Test
    void jsonAndHtml(@TempDir Path dir) throws Exception {
        Path log = log(dir);
        CliRun.Outcome json = holdfast(List.of("detect", "--log", log.toString(), "--format", "json"));
        assertThat(json.exitCode()).as(json.stderr()).isEqualTo(3);
        JsonNode root = new ObjectMapper().readTree(json.stdout());
        assertThat(root.get("transactions").asInt()).isGreaterThanOrEqualTo(28);
        assertThat(root.get("catalogue").asBoolean()).isFalse();
        JsonNode first = root.get("findings").get(0);
        assertThat(first.get("kind").asText()).isEqualTo("LOST_UPDATE");
        assertThat(first.get("status").asText()).isEqualTo("SUSPECTED");
        assertThat(first.get("database").asText()).isEqualTo("POSTGRES");
        assertThat(first.get("isolation").asText()).isEqualTo("READ COMMITTED");
        assertThat(first.get("session").asText()).startsWith("pid ");
        assertThat(first.get("statements").get(0).get("sql").asText()).isEqualTo("select balance from account where id = ?");
        assertThat(first.get("statements").get(0).get("parameters").get(0).asText()).isEqualTo("1");

        Path page = dir.resolve("races.html");
        CliRun.Outcome html = holdfast(List.of("detect", "--log", log.toString(), "--format", "html", "--out", page.toString()));
        assertThat(html.exitCode()).isEqualTo(3);
        assertThat(html.stderr()).contains("wrote the html race report to " + page);
        assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").contains("LOST_UPDATE").contains("balance = ?")
                .doesNotContain("<script");
    }

    @EachDatabase({DatabaseKind.POSTGRES})
    void withUrlTheCatalogueIsRead(TestDatabase db, @TempDir Path dir) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, balance int not null)");
        }
        CliRun.Outcome o = holdfast(args(db, "detect", "--log", log(dir).toString()));
        assertThat(o.exitCode()).as(o.stderr()).isEqualTo(3);
        assertThat(o.stdout()).contains("LOST_UPDATE").doesNotContain(DetectReport.NO_CATALOGUE);
    }

    /** A trace recorded by the kit on each server where the naive withdrawal loses updates, then read by the CLI. */
    @EachDatabase({DatabaseKind.POSTGRES, DatabaseKind.MARIADB})
    void aTraceOfTheNaiveWithdrawalIsReportedAndTheSafeOneIsClean(TestDatabase db, @TempDir Path dir) throws Exception {
        DataSource plain = new UrlDataSource(db.url(), db.user(), db.password());
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, balance int not null)");
            s.execute("insert into account values (1, 100)");
        }
        RaceDetector naive = RaceDetector.create();
        withdraw(naive.wrap(plain), false);
        RaceDetector safe = RaceDetector.create();
        withdraw(safe.wrap(plain), true);
        Path naiveTrace = dir.resolve("naive.trace");
        Path safeTrace = dir.resolve("safe.trace");
        TraceFile.write(naiveTrace, naive.transactions());
        TraceFile.write(safeTrace, safe.transactions());

        CliRun.Outcome found = holdfast(args(db, "detect", "--trace", naiveTrace.toString()));
        assertThat(found.exitCode()).as(found.stdout() + found.stderr()).isEqualTo(3);
        assertThat(found.stdout()).contains("LOST_UPDATE");
        CliRun.Outcome clean = holdfast(args(db, "detect", "--trace", safeTrace.toString()));
        assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
        assertThat(clean.stdout()).contains("0 findings");
        CliRun.Outcome noUrl = holdfast(List.of("detect", "--trace", naiveTrace.toString()));
        assertThat(noUrl.exitCode()).as(noUrl.stderr()).isEqualTo(3); // the trace names its database
    }

    @Test
    void usageErrorsNameTheProblem(@TempDir Path dir) throws Exception {
        assertThat(holdfast(List.of("detect")).stderr()).contains("needs one of --log FILE");
        assertThat(holdfast(List.of("detect")).exitCode()).isEqualTo(2);
        Path log = log(dir);
        CliRun.Outcome both = holdfast(List.of("detect", "--log", log.toString(), "--trace", log.toString()));
        assertThat(both.exitCode()).isEqualTo(2);
        CliRun.Outcome missing = holdfast(List.of("detect", "--log", dir.resolve("nope.log").toString()));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("nope.log: no such file");
        CliRun.Outcome wrongDb = holdfast(List.of("detect", "--log", log.toString(), "--url", "jdbc:mariadb://localhost/x"));
        assertThat(wrongDb.exitCode()).isEqualTo(2);
        assertThat(wrongDb.stderr()).contains("--url must name that PostgreSQL database");
        CliRun.Outcome badLevel = holdfast(List.of("detect", "--log", log.toString(), "--default-isolation", "snapshot"));
        assertThat(badLevel.exitCode()).isEqualTo(2);
        CliRun.Outcome noDir = holdfast(List.of("detect", "--log", log.toString(), "--out", dir.resolve("no/such/r.txt").toString()));
        assertThat(noDir.exitCode()).isEqualTo(2);
    }

    @Test
    void aLogWithoutPidsFailsWithTheSettingToChange(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("nopid.log");
        Files.writeString(log, "2026-11-29 17:20:00 UTC LOG:  statement: select 1\n");
        CliRun.Outcome o = holdfast(List.of("detect", "--log", log.toString()));
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.stderr()).contains("log_line_prefix = '%m [%p] '");
    }

    private static void withdraw(DataSource ds, boolean safe) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            if (safe) {
                try (PreparedStatement w = c.prepareStatement("update account set balance = balance - ? where id = ?")) {
                    w.setInt(1, 10);
                    w.setInt(2, 1);
                    w.executeUpdate();
                }
            } else {
                int balance;
                try (PreparedStatement r = c.prepareStatement("select balance from account where id = ?")) {
                    r.setInt(1, 1);
                    try (ResultSet rs = r.executeQuery()) {
                        rs.next();
                        balance = rs.getInt(1);
                    }
                }
                try (PreparedStatement w = c.prepareStatement("update account set balance = ? where id = ?")) {
                    w.setInt(1, balance - 10);
                    w.setInt(2, 1);
                    w.executeUpdate();
                }
            }
            c.commit();
        }
    }
}
