package dev.holdfast;

/**
 * How hard SQLite works to make a commit survive a crash ({@code PRAGMA synchronous}, in WAL mode).
 *
 * <pre>{@code
 * Database db = Database.builder("jdbc:sqlite:app.db").sqliteSynchronous(SqliteSynchronous.NORMAL).build();
 * }</pre>
 *
 * <p>Both settings survive the application crashing or being killed: a commit reached the operating system before
 * {@code transact} returned. They differ when the machine loses power or the kernel crashes.
 */
public enum SqliteSynchronous {
    /**
     * The default. The write-ahead log is flushed to the disk (fsync) at every commit, so a transaction that
     * {@code transact} reported as committed survives a power cut. The SQLite writer's group commit shares one fsync
     * among every transaction waiting at that moment, which is what keeps this affordable.
     */
    FULL,
    /**
     * The log is flushed to the disk only at checkpoints. Faster per commit; the last transactions reported as
     * committed can be lost on a power cut or kernel crash (never on an application crash), and the file is never
     * corrupted. For data you can rebuild.
     */
    NORMAL
}
