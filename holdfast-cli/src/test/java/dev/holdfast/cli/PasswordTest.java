package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the password comes from: HOLDFAST_PASSWORD and the URL. Run in a child JVM, the only way to give a process an
 * environment variable. MariaDB's root has no password here, so any password is refused: the refusal proves which
 * password was sent, and the message must say to check the user or password wherever the password came from.
 */
class PasswordTest {

    record Child(int exit, String err) {}

    static Child holdfast(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("HOLDFAST_PASSWORD");
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("holdfast finished").isTrue();
        return new Child(p.exitValue(), err);
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void thePasswordFromHoldfastPasswordIsSentAndARefusalSaysCheckIt(TestDatabase db) throws Exception {
        Child c = holdfast(java.util.Map.of("HOLDFAST_PASSWORD", "not-the-password"), "audit", "--url", db.url(),
                "--isolation", "serializable");
        assertThat(c.exit()).as(c.err()).isEqualTo(1);
        assertThat(c.err()).contains("refused the user or password; check them").doesNotContain("not-the-password");
    }

    @EachDatabase(DatabaseKind.MARIADB)
    void aPasswordInTheUrlGetsTheSameHint(TestDatabase db) throws Exception {
        Child c = holdfast(java.util.Map.of(), "audit", "--url", db.url() + "&password=not-the-password",
                "--isolation", "serializable");
        assertThat(c.exit()).as(c.err()).isEqualTo(1);
        assertThat(c.err()).contains("refused the user or password; check them").doesNotContain("not-the-password");
    }
}
