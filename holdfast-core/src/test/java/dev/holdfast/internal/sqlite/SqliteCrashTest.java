package dev.holdfast.internal.sqlite;

import dev.holdfast.Database;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing acknowledged is lost when the process dies by SIGKILL in the middle of group commits. */
class SqliteCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyIdAcknowledgedBeforeSigkillIsInTheDatabase() throws Exception {
        Path db = dir.resolve("crash.db");
        Path acks = dir.resolve("acks.txt");
        Files.createFile(acks);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SqliteCrashChild.class.getName(), db.toString(), acks.toString(), "6")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            // Wait (bounded) until the child has acknowledged a few thousand transactions, then kill it mid-run.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(acks) < 20_000 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("child still running; its log: %s", log(dir)).isTrue();
        } finally {
            child.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<Long> acknowledged = new ArrayList<>();
        String text = Files.readString(acks, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');   // a line cut by the kill is not an acknowledgement
        for (String line : text.substring(0, end + 1).split("\n")) {
            acknowledged.add(Long.parseLong(line));
        }
        assertThat(acknowledged).hasSizeGreaterThan(2_000);
        try (Database reopened = Database.open("jdbc:sqlite:" + db)) {
            Set<Long> stored = new HashSet<>(reopened.query(rs -> rs.getLong(1), "select id from acked"));
            List<Long> lost = acknowledged.stream().filter(id -> !stored.contains(id)).toList();
            assertThat(lost).as("acknowledged ids missing after SIGKILL").isEmpty();
            assertThat(reopened.queryScalar(String.class, "pragma integrity_check")).isEqualTo("ok");
        }
    }

    private static String log(Path dir) {
        try {
            File f = dir.resolve("child.log").toFile();
            return f.exists() ? Files.readString(f.toPath()) : "(none)";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
