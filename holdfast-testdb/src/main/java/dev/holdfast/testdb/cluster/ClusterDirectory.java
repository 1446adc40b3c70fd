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

    private ClusterDirectory(Path path, FileChannel lockFile, FileLock lock) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    static ClusterDirectory claim(String name, String what) {
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
            return new ClusterDirectory(path, channel, lock);
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

    /** Kills whatever still runs from the directory, deletes it and releases the lock. */
    @Override
    public void close() {
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
