package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    /** Runs the command line, returning the exit code and what it wrote to standard error. */
    static Outcome holdfast(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Outcome(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    record Outcome(int exitCode, String stderr) {
    }

    static List<String> args(TestDatabase db, String... more) {
        List<String> args = new ArrayList<>(List.of("audit", "--url", db.url()));
        if (db.user() != null) {
            args.addAll(List.of("--user", db.user()));
        }
        if (db.password() != null) {
            args.addAll(List.of("--password", db.password()));
        }
        args.addAll(List.of(more));
        return args;
    }

    @EachDatabase
    void jsonParsesAndHasTheDocumentedShape(TestDatabase db, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("audit.json");
        Outcome o = holdfast(args(db, "--format", "json", "--out", out.toString()).toArray(String[]::new));
        assertThat(o.exitCode()).as(o.stderr()).isZero();

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("format").asText()).isEqualTo("holdfast-audit/1");
        assertThat(root.get("database").asText()).isNotBlank();
        assertThat(root.get("url").asText()).isEqualTo(db.url());
        assertThat(root.get("published").isNull()).isEqualTo(db.kind() == DatabaseKind.SQLITE);
        assertThat(root.get("elapsedMillis").isIntegralNumber()).isTrue();
        int levels = root.get("levels").size();
        assertThat(levels).isEqualTo(db.kind() == DatabaseKind.SQLITE ? 1 : 4);
        assertThat(root.get("tests").size()).isEqualTo(15);
        for (JsonNode t : root.get("tests")) {
            assertThat(fields(t)).containsExactly("name", "code", "title", "description");
        }
        assertThat(root.get("cells").size()).isEqualTo(levels * 15);
        for (JsonNode c : root.get("cells")) {
            assertThat(fields(c)).containsExactly("test", "level", "verdict", "prevention", "detail", "published",
                    "differsFromPublished", "sessions", "trace");
            assertThat(c.get("verdict").asText()).isIn("anomaly", "prevented");
            assertThat(c.get("prevention").asText()).isIn("aborted", "blocked", "not-visible", "none");
            assertThat(c.get("trace").size()).isPositive();
            for (JsonNode s : c.get("trace")) {
                assertThat(fields(s)).containsExactly("index", "session", "sql", "status", "result", "blocked",
                        "resumedAfter");
                assertThat(s.get("status").asText()).isIn("ok", "error", "skipped", "cancelled");
                List<String> sessions = new ArrayList<>();
                c.get("sessions").forEach(n -> sessions.add(n.asText()));
                assertThat(sessions).contains(s.get("session").asText());
            }
        }
    }

    @EachDatabase(DatabaseKind.POSTGRES)
    void textShowsTheMatrixLegendAndDifferences(TestDatabase db) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        Outcome o;
        try {
            o = holdfast(args(db).toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertThat(o.exitCode()).as(o.stderr()).isZero();
        assertThat(o.stderr()).contains("SERIALIZABLE done (60/60 cells)");
        assertThat(text).containsPattern("(?m)^READ COMMITTED +blk +ok +ok +ok +blk +ANOM")
                .contains("prevented by blocking").contains("Differences from PostgreSQL 9.3.5")
                .contains("REPEATABLE READ, G2-item: both read");
    }

    @Test
    void anUnreachableUrlExitsOneWithAMessageNamingIt() {
        Outcome o = holdfast("audit", "--url", "jdbc:postgresql://127.0.0.1:1/nowhere?user=me&password=secret");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.stderr()).startsWith("holdfast: Cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere")
                .contains("password=***").doesNotContain("secret").doesNotContain("\tat ");
    }

    @Test
    void anUnknownLevelOrUrlKindIsAUsageError() {
        assertThat(holdfast("audit", "--isolation", "snapshot").exitCode()).isEqualTo(2);
        Outcome o = holdfast("audit", "--url", "jdbc:oracle:thin:@db:1521/x");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
    }

    @Test
    void withoutAUrlItAuditsSqliteAndWritesHtml(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("audit.html");
        Outcome o = holdfast("audit", "--format", "html", "--out", out.toString());
        assertThat(o.exitCode()).as(o.stderr()).isZero();
        String html = Files.readString(out);
        assertThat(html).contains("SERIALIZABLE (journal_mode=wal)").contains("<svg").doesNotContain("src=\"http")
                .doesNotContain("href=\"http");
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
