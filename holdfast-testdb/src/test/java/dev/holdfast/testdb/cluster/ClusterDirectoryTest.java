package dev.holdfast.testdb.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterDirectoryTest {
    @Test
    void claimingTheDirectoryKillsWhatAnEarlierRunLeftRunningThereAndWipesIt() throws IOException, InterruptedException {
        Path dir = ClusterDirectory.ROOT.resolve("stale-test");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("leftover"), "from an earlier run");
        // a process whose command line names the directory, as a server left behind by a killed JVM does
        Process stale = new ProcessBuilder("sh", "-c", "sleep 600", dir.resolve("node1/my.cnf").toString()).start();
        Thread hook;
        try (ClusterDirectory claimed = ClusterDirectory.claim("stale-test", "test cluster", () -> { })) {
            hook = claimed.exitHook();
            assertTrue(stale.waitFor(10, TimeUnit.SECONDS), "the stale process was not stopped");
            assertFalse(Files.exists(claimed.path().resolve("leftover")));
        } finally {
            stale.destroyForcibly();
        }
        assertFalse(Files.exists(dir));
        assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "close() left the exit hook registered");
    }

    @Test
    void whileClaimedTheExitHookIsRegistered() {
        try (ClusterDirectory claimed = ClusterDirectory.claim("hook-test", "test cluster", () -> { })) {
            Thread hook = claimed.exitHook();
            assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "claim() did not register the exit hook");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }
}
