package dev.holdfast.testdb.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Running the server binaries: as another OS user when the JVM runs as root, with output kept in a log file. */
final class LocalProcesses {
    private LocalProcesses() {}

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL refuses to run as root: run its binaries as {@code user} through runuser in that case. */
    static List<String> asUser(String user, List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Runs a command to completion; a non-zero exit is an exception carrying the end of its output. */
    static void run(List<String> command, Path log, Duration timeout) {
        Process process = spawn(command, log);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "; output in " + log + ":\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                    + "); output in " + log + ":\n" + tail(log));
        }
    }

    static Process spawn(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        }
    }

    /**
     * Kills every process whose command line mentions {@code directory}: servers (and their SST helpers) that a
     * killed JVM left running on this cluster's ports. The directory is ours alone, so nothing else matches.
     */
    static int killProcessesUsing(Path directory) {
        String marker = directory.toString() + "/";
        List<ProcessHandle> stale = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(line -> (line + "/").contains(marker)).orElse(false))
                .toList();
        stale.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : stale) {
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        return stale.size();
    }

    /** chown -R, so a server started as another user can write its data directory. */
    static void chown(Path root, String user) {
        if (!runningAsRoot()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            for (Path p : paths.toList()) {
                Files.setOwner(p, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not give " + root + " to user " + user, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
