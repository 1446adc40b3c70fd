package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report in a real headless Chromium: the page must load with no script error, its own script must
 * run (it sets {@code data-ready="yes"}), and a screenshot must come out. CI ({@code CI=true}) installs Chromium in
 * .ci/run, and there a missing browser fails the test; elsewhere it is skipped with a message.
 */
class HtmlReportBrowserTest {

    @EachDatabase(DatabaseKind.POSTGRES)
    void theReportRendersInChromiumWithoutScriptErrors(TestDatabase db, @TempDir Path dir) throws Exception {
        Path chromium = chromium().orElse(null);
        if (chromium == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("Chromium is not installed: under CI=true the HTML report must be checked in a browser; "
                        + ".ci/run installs Debian's chromium package");
            }
            assumeTrue(false, "Chromium is not on the PATH (chromium, chromium-browser, google-chrome); "
                    + "install it to check the HTML report in a browser");
        }
        Path html = dir.resolve("audit.html");
        AuditCommandTest.Outcome o = AuditCommandTest.holdfast(
                AuditCommandTest.args(db, "--format", "html", "--out", html.toString()).toArray(String[]::new));
        assertThat(o.exitCode()).as(o.stderr()).isZero();
        String page = Files.readString(html);
        assertThat(page).contains("Anomalies found").contains("<svg class=\"swimlane\"")
                // PostgreSQL runs READ UNCOMMITTED as READ COMMITTED: said once, not drawn twice
                .contains("READ UNCOMMITTED: same as READ COMMITTED")
                .doesNotContain("<details id=\"cell-0-")
                // SQL and results wrap onto more lines instead of being cut
                .doesNotContain("…</text>");

        Path png = dir.resolve("audit.png");
        Result shot = run(chromium, dir, "--enable-logging=stderr", "--v=0", "--window-size=1400,1800",
                "--screenshot=" + png, html.toUri().toString());
        assertThat(png).as(shot.output()).exists();
        // kept for a person to look at: holdfast-cli/target/audit-report.png
        Files.copy(png, Path.of("target", "audit-report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(shot.output()).doesNotContain("Uncaught");

        Result dom = run(chromium, dir, "--dump-dom", html.toUri().toString());
        assertThat(dom.output()).contains("data-ready=\"yes\"").doesNotContain("Uncaught");

        // A link to a cell, from another page or a chat message, opens that cell's trace.
        Result linked = run(chromium, dir, "--dump-dom", html.toUri() + "#cell-1-G1a");
        assertThat(linked.output()).containsPattern("<details id=\"cell-1-G1a\" open(=\"\")?>");
        assertThat(dom.output()).doesNotContainPattern("<details id=\"cell-1-G1a\" open");
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Path chromium, Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path log = dir.resolve("chromium-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a bound against a hung browser, not a timing assertion
            p.destroyForcibly();
            fail("Chromium did not finish within 120 s: " + command + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static Optional<Path> chromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
