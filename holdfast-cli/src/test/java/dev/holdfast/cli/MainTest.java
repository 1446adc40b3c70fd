package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.cli.AuditCommandTest.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: exit codes (0 ran, 1 failed, 2 usage), usage errors, help, version, --out. */
class MainTest {

    @Test
    void helpExitsZeroAndAnUnknownOptionExitsTwo() {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("--no-such-option")).isEqualTo(2);
    }

    @Test
    void noCommandPrintsTheHelpAndExitsTwo() {
        Outcome o = AuditCommandTest.holdfast();
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("Usage: holdfast", "audit", "explore", "Exit codes:");
    }

    @Test
    void aUsageErrorIsTheProblemTheUsageLineAndOneHintNotTheWholeHelp() {
        Outcome o = AuditCommandTest.holdfast("audit", "--no-such-option");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr().strip().lines()).first().asString().startsWith("holdfast: Unknown option: '--no-such-option'");
        assertThat(o.stderr()).contains("Usage: holdfast audit", "Try 'holdfast audit --help' for more information.")
                .doesNotContain("Runs the Hermitage anomaly suite");
        assertThat(o.stderr().strip().lines().count()).isLessThanOrEqualTo(7);
    }

    @Test
    void versionIsTheBuildsVersion() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("--version");
        } finally {
            System.setOut(out);
        }
        assertThat(code).isZero();
        String expected = System.getProperty("holdfast.expectedVersion");
        assertThat(expected).as("set by this module's pom").isNotBlank().doesNotContain("${");
        assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("holdfast " + expected + System.lineSeparator());
    }

    @Test
    void outInADirectoryThatDoesNotExistIsRefusedBeforeTheAuditRuns(@TempDir Path dir) {
        Path out = dir.resolve("missing").resolve("audit.html");
        Outcome o = AuditCommandTest.holdfast("audit", "--format", "html", "--out", out.toString());
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).startsWith("holdfast: --out " + out + ": the directory " + out.getParent()
                + " does not exist").doesNotContain("audit: ");   // no progress line: nothing ran
        assertThat(Files.exists(out.getParent())).isFalse();
    }

    @Test
    void outThatIsADirectoryIsRefusedBeforeTheAuditRuns(@TempDir Path dir) {
        Outcome o = AuditCommandTest.holdfast("audit", "--out", dir.toString());
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).startsWith("holdfast: --out " + dir + " is a directory; name a file in it");
    }
}
