package dev.holdfast.testdb.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/**
 * What a cluster test does when the server binaries it starts are not installed: the clusters are real servers, so
 * unlike the single test databases they cannot come from a Maven artifact. In CI ({@code CI=true}) that is a
 * failure, as a missing database always is; elsewhere (a newcomer's machine with only a JDK and Maven) the test is
 * aborted with a message naming what to install, so {@code mvn verify} reports it as skipped, never as passed.
 */
final class MissingBinaries {
    private MissingBinaries() {}

    static void require(Path file, String what, String install) {
        if (Files.exists(file)) {
            return;
        }
        String message = what + " is not installed: " + file + " is missing. Install it with `" + install
                + "` (.ci/run does this in CI).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        throw new TestAbortedException(message + " Skipping this cluster test outside CI.");
    }
}
