package dev.holdfast.testdb.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a server's output goes, and how its failures are reported: one line, the log named rather than copied. */
final class Logs {
    private Logs() {}

    static Path newFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exception and its causes' messages on one line: server libraries put whole logs into their messages. */
    static String oneLine(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null && line.length() < 400; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
            line.append(line.length() == 0 ? "" : "; caused by ").append(t.getClass().getSimpleName()).append(": ").append(message);
        }
        return line.length() > 400 ? line.substring(0, 400) + "..." : line.toString();
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit
        }
    }
}
