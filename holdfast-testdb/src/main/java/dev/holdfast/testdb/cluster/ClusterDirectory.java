package dev.holdfast.testdb.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory of one kind of cluster, {@code /tmp/holdfast-clusters/<name>}, held under a file lock for as
 * long as the cluster runs. The ports are fixed, so two clusters of one kind cannot run at once: a second JVM waits
 * for the lock. Holding the lock also proves that any server still running from this directory is stale (its JVM
 * died without stopping it), so it is killed and the directory wiped before the new cluster starts.
 */
final class ClusterDirectory implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "holdfast-clusters");

    private final Path path;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Thread shutdownHook;

    private ClusterDirectory(Path path, FileChannel lockFile, FileLock lock, Thread shutdownHook) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Claims the directory {@code name}, waiting for another JVM's cluster of that kind to finish, and registers
     * {@code stopOnExit} to run if the JVM exits before {@link #close()} (a test run killed with Ctrl-C or a failed
     * fork must not leave servers behind on the fixed ports).
     */
    static ClusterDirectory claim(String name, String what, Runnable stopOnExit) {
        Path path = ROOT.resolve(name);
        FileChannel channel = null;
        try {
            Files.createDirectories(ROOT);
            ROOT.toFile().setExecutable(true, false); // servers run as another user must traverse it
            ROOT.toFile().setReadable(true, false);
            channel = FileChannel.open(ROOT.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            int killed = LocalProcesses.killProcessesUsing(path);
            if (killed > 0) {
                System.err.println("holdfast-testdb: stopped " + killed + " stale process(es) of an earlier " + what + " in " + path);
            }
            LocalProcesses.deleteRecursively(path);
            Files.createDirectories(path);
            Thread hook = new Thread(stopOnExit, "holdfast-stop-" + name + "-cluster");
            Runtime.getRuntime().addShutdownHook(hook);
            return new ClusterDirectory(path, channel, lock, hook);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("a " + what + " is already running in this JVM on the same ports; close it before starting another", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not prepare " + path + " for a " + what, e);
        }
    }

    Path path() {
        return path;
    }

    Thread exitHook() {
        return shutdownHook;
    }

    /**
     * Kills whatever still runs from the directory, deletes it, releases the lock and (unless the JVM is exiting)
     * unregisters the exit hook.
     */
    @Override
    public void close() {
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
        LocalProcesses.killProcessesUsing(path);
        try {
            LocalProcesses.deleteRecursively(path);
        } catch (UncheckedIOException e) {
            System.err.println("holdfast-testdb: could not delete " + path + ": " + e.getMessage());
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        closeQuietly(lockFile);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
