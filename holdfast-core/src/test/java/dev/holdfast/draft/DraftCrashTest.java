package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/** A process killed (SIGKILL) between draft operations: the resumed draft has every acknowledged one. */
class DraftCrashTest {
    @TempDir
    Path dir;

    @EachDatabase
    void everyAcknowledgedOperationSurvivesSigkill(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Drafts drafts = Drafts.on(db).createTables();
            String draftId = drafts.open("alice").id();
            Path acks = dir.resolve("acks-" + t.kind() + ".txt");
            Files.createFile(acks);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DraftCrashChild.class.getName(), t.url(), t.user() == null ? "" : t.user(),
                    t.password() == null ? "" : t.password(), draftId, acks.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (lines(acks) < 30 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(child.isAlive()).as("child still running; its log: %s",
                        Files.readString(dir.resolve("child.log"))).isTrue();
            } finally {
                child.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no close()
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            int acknowledged = lines(acks);
            assertThat(acknowledged).isGreaterThanOrEqualTo(30);

            Draft resumed = drafts.resume(draftId);
            // The operation in flight when the process died may have committed without being acknowledged.
            assertThat(resumed.operations()).isBetween(acknowledged, acknowledged + 1);
            int shown = resumed.get(Catalogue.Product.class, 1L).stock();
            assertThat(shown).isBetween(acknowledged, acknowledged + 1);
            for (int i = 0; i < 5; i++) {
                assertThat(resumed.undo()).isTrue();
            }
            assertThat(resumed.get(Catalogue.Product.class, 1L).stock()).isEqualTo(shown - 5);
            resumed.commit();
            assertThat(db.get(Catalogue.Product.class, 1L).stock()).isEqualTo(shown - 5);
        }
    }

    /** Complete lines only: a line cut by the kill is not an acknowledgement. */
    private static int lines(Path acks) throws Exception {
        String text = Files.readString(acks, StandardCharsets.US_ASCII);
        return (int) text.chars().filter(c -> c == '\n').count();
    }
}
