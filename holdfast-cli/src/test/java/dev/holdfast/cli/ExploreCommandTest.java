package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code holdfast explore} on SQLite (the default, and an explicit file): exit codes, the text and JSON reports, and
 * the messages of usage and connection errors. What the explorer finds on each database is tested in the examples
 * module (ScenarioInterleaverTest, on SQLite, PostgreSQL and MariaDB).
 */
class ExploreCommandTest {

    /** Exit code, standard output and standard error of one run of the command line. */
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theWholeCatalogueOnTheDefaultSqliteFile() {
        Result r = run("explore");

        assertThat(r.exit()).as(r.err()).isZero();
        // every naive bug that can happen on SQLite is found, with its swimlane; the three that cannot say why
        assertThat(r.out()).contains("== django-bug-3-counter:", "naive: LOSES A WRITE: found at schedule 2",
                "increment-too", "→ 1 row changed");
        assertThat(r.out().split("The bug cannot happen on this database: SQLite runs write transactions one at a "
                + "time", -1)).hasSize(4);
        assertThat(r.out()).endsWith("naive: 8 lose a write, 3 cannot on this database, 0 not found; "
                + "safe: 11 pass every schedule, 0 fail\n");
        // a progress line per scenario on standard error
        assertThat(r.err()).contains("holdfast explore: [1/11] django-bug-1-two-copies/naive ...",
                "holdfast explore: [11/11] ");
    }

    @Test
    void jsonHasOneObjectPerScenarioVersionWithStableKeys(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("explore.db");
        Result r = run("explore", "--url", url, "--scenario", "django-bug-3-counter", "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("url").asText()).isEqualTo(url);
        assertThat(root.get("maxSchedules").asInt()).isEqualTo(1000);
        JsonNode scenarios = root.get("scenarios");
        assertThat(scenarios).hasSize(2);

        JsonNode naive = scenarios.get(0);
        assertThat(naive.get("name").asText()).isEqualTo("django-bug-3-counter/naive");
        assertThat(naive.get("version").asText()).isEqualTo("naive");
        assertThat(naive.get("verdict").asText()).isEqualTo("bug-found");
        assertThat(naive.get("strategy").asText()).isEqualTo("exhaustive");
        assertThat(naive.get("schedules").asInt()).isEqualTo(6);
        assertThat(naive.get("complete").asBoolean()).isTrue();
        assertThat(naive.get("failedSchedules").asInt()).isEqualTo(4);
        assertThat(naive.get("elapsedMillis").isIntegralNumber()).isTrue();
        assertThat(naive.get("safeByAccident").isNull()).isTrue();
        JsonNode first = naive.get("firstFailure");
        assertThat(first.get("number").asInt()).isEqualTo(2);
        assertThat(first.get("schedule").asText()).isEqualTo("increment increment-too increment increment-too");
        assertThat(first.get("reason").asText()).contains("2 increments were acknowledged but the count is 1");
        assertThat(first.get("outcome").asText()).isEqualTo("done");
        assertThat(first.get("swimlane").asText()).contains("| increment-too", "update b3_counter set count = ?");

        JsonNode safe = scenarios.get(1);
        assertThat(safe.get("name").asText()).isEqualTo("django-bug-3-counter/safe");
        assertThat(safe.get("verdict").asText()).isEqualTo("passes");
        assertThat(safe.get("failedSchedules").asInt()).isZero();
        assertThat(safe.get("firstFailure").isNull()).isTrue();
    }

    @Test
    void aNaiveBugThatCannotHappenOnSqliteIsReportedAsSuchNotAsAFailure() throws Exception {
        Result r = run("explore", "--scenario", "django-bug-5-payment-total/naive", "--format", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode only = new ObjectMapper().readTree(r.out()).get("scenarios").get(0);
        assertThat(only.get("verdict").asText()).isEqualTo("safe-on-this-database");
        assertThat(only.get("failedSchedules").asInt()).isZero();
        assertThat(only.get("complete").asBoolean()).isTrue();
        assertThat(only.get("safeByAccident").asText()).contains("SQLite runs write transactions one at a time");
        assertThat(only.get("firstFailure").isNull()).isTrue();
    }

    @Test
    void anUnreachableServerIsAOneLineMessageNamingTheUrlWithItsPasswordMasked() {
        Result r = run("explore", "--url", "jdbc:postgresql://127.0.0.1:1/test?user=u&password=secret");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("holdfast: cannot connect to jdbc:postgresql://127.0.0.1:1/test?user=u&password=***: ")
                .contains("refused").doesNotContain("secret");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void usageErrorsExitTwoAndNameTheProblem() {
        Result unknown = run("explore", "--scenario", "django-bug-7");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no seed scenario named 'django-bug-7'", "django-bug-3-counter");

        Result format = run("explore", "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format must be text or json, got 'xml'");

        Result url = run("explore", "--url", "jdbc:h2:mem:x");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err()).contains("explore runs on jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: "
                + "URLs, got jdbc:h2:mem:x");
    }
}
