package dev.holdfast.internal.replica;

import dev.holdfast.Database;
import dev.holdfast.replica.CausalToken;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One replica as the router sees it: its URL, its connection pools (opened on first use, so a replica that is down
 * when the application starts is no error), the last position it was seen to have replayed, and whether it is
 * currently believed down.
 */
final class Replica {
    final String url;
    private final BiFunction<String, Map<String, String>, Database> opener;
    private final Map<String, String> causalProperties;
    private volatile Database plain;
    private volatile Database causal;
    /** A lower bound of what the replica has replayed: replay only moves forward, so it is safe to trust. */
    volatile CausalToken replayed = CausalToken.none();
    volatile long downUntilNanos;
    volatile boolean warnedDown;

    Replica(String url, BiFunction<String, Map<String, String>, Database> opener, Map<String, String> causalProperties) {
        this.url = url;
        this.opener = opener;
        this.causalProperties = causalProperties;
    }

    boolean isDown(long now) {
        return downUntilNanos != 0 && now - downUntilNanos < 0;
    }

    /** The pool for reads; {@code causal} picks the one whose sessions wait for the cluster (Galera sync wait). */
    Database database(boolean causalRead) {
        if (causalRead && !causalProperties.isEmpty()) {
            Database db = causal;
            if (db == null) {
                synchronized (this) {
                    if (causal == null) {
                        causal = opener.apply(url, causalProperties);
                    }
                    db = causal;
                }
            }
            return db;
        }
        Database db = plain;
        if (db == null) {
            synchronized (this) {
                if (plain == null) {
                    plain = opener.apply(url, Map.of());
                }
                db = plain;
            }
        }
        return db;
    }

    synchronized void close() {
        for (Database db : new Database[] {plain, causal}) {
            if (db != null) {
                try {
                    db.close();
                } catch (RuntimeException e) {
                    // closing a pool to a server that is gone: nothing to act on
                }
            }
        }
        plain = null;
        causal = null;
    }

    @Override
    public String toString() {
        return url;
    }
}
