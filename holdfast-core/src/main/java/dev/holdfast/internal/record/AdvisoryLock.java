package dev.holdfast.internal.record;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.LockTimeoutException;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;

/**
 * Transaction-scoped named locks taken in the database, so that they hold across threads, processes and machines
 * (a JVM {@code synchronized} block holds only inside one JVM).
 *
 * <ul>
 *   <li>PostgreSQL: {@code pg_advisory_xact_lock(key)}, released by the database at commit or rollback. The name is
 *   hashed to a 64-bit key (FNV-1a over UTF-8: the same in every JVM and every version of Holdfast).</li>
 *   <li>MariaDB: {@code GET_LOCK(name, timeout)}, which belongs to the session, not the transaction; Holdfast
 *   releases it with {@code RELEASE_LOCK} when the transaction ends, committed or not, before the connection goes
 *   back to the pool. Names are server-wide, so they are qualified with the current database.</li>
 *   <li>SQLite: a write transaction already holds the database's only write lock; nothing more to take.</li>
 * </ul>
 */
public final class AdvisoryLock {
    /** How long MariaDB waits for a named lock before {@link LockTimeoutException}, like innodb_lock_wait_timeout. */
    private static final int MARIADB_WAIT_SECONDS = 50;
    private static final int MARIADB_NAME_LIMIT = 64;

    private AdvisoryLock() {
    }

    public static void acquire(Session tx, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("lock(key) needs a non-empty key, e.g. \"payments:\" + collectionId");
        }
        Dialect dialect = tx.dialect();
        if (tx.isReadOnly() && dialect instanceof SqliteDialect) {
            throw new HoldfastException("lock(\"" + key + "\") in db.read(...) on SQLite: a read transaction cannot "
                    + "keep writers out. Use db.transact(...), whose write transaction already holds SQLite's write "
                    + "lock");
        }
        if (tx.runsEachStatementAlone()) {
            throw new HoldfastException("lock(\"" + key + "\") needs a transaction to hold the lock until it ends; "
                    + "this one runs each statement on its own (a read at READ COMMITTED). Use db.transact(...)");
        }
        if (dialect instanceof SqliteDialect) {
            return;
        }
        if (dialect instanceof PostgresDialect) {
            tx.queryScalar(Object.class, "SELECT pg_advisory_xact_lock(?)", fnv1a64(key));
            return;
        }
        String name = mariaDbName(key);
        String qualified = "CONCAT(LEFT(COALESCE(DATABASE(), ''), " + (MARIADB_NAME_LIMIT - 18) + "), '/', ?)";
        Integer got = tx.queryScalar(Integer.class, "SELECT GET_LOCK(" + qualified + ", ?)", name,
                MARIADB_WAIT_SECONDS);
        if (got == null || got != 1) {
            throw new LockTimeoutException("lock(\"" + key + "\") waited " + MARIADB_WAIT_SECONDS + " s for the named "
                    + "lock another session holds; the transaction is retried", null);
        }
        String release = "SELECT RELEASE_LOCK(" + qualified + ")";
        tx.afterEnd(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(release)) {
                ps.setString(1, name);
                ps.execute();
            }
        });
    }

    /** Short keys as they are (readable in SHOW PROCESSLIST); long ones as a 16-digit hash, within MariaDB's limit. */
    private static String mariaDbName(String key) {
        return key.length() <= 17 ? key : String.format("%016x", fnv1a64(key));
    }

    static long fnv1a64(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
