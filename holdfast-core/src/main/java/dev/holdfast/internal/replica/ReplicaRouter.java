package dev.holdfast.internal.replica;

import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.Database;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.Isolation;
import dev.holdfast.TransactionCallback;
import dev.holdfast.TransactionOptions;
import dev.holdfast.replica.CausalToken;
import dev.holdfast.replica.ReadOptions;
import dev.holdfast.replica.ReplicaReads;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reads to replicas that have replayed what the reader must see, and everything else to the primary.
 *
 * <p>The position of the Database's own writes is asked of the primary after each commit (one round trip); a read
 * needs the later of that and the token it was given. A replica's replayed position is cached (it only grows), so a
 * read whose position the cache already covers costs nothing extra; otherwise the replica is asked, polling until
 * the read's wait runs out, and the read then goes to the primary. A replica that cannot be reached is left alone
 * for a while and its reads go to the primary, with a warning.
 */
public final class ReplicaRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRouter.class);
    private static final Duration DOWN_FOR = Duration.ofSeconds(2);
    private static final Duration MAX_POLL = Duration.ofMillis(10);

    /** Runs the read on the primary, as the Database would without replicas. */
    @FunctionalInterface
    public interface PrimaryRead<R, X extends Exception> {
        R run(TransactionOptions options) throws X;
    }

    private final Flavour flavour;
    private final List<Replica> replicas;
    private final Duration defaultWait;
    private final Function<String, String> primaryScalar;
    /** The primary itself, for Galera reads that must wait for writes made through other nodes; null without a URL. */
    private final Replica primaryNode;
    private final AtomicReference<CausalToken> lastCommit = new AtomicReference<>(CausalToken.none());
    /** Commits whose position could not be read, and how many of those a later position is known to cover. */
    private final AtomicLong positionFailures = new AtomicLong();
    private final AtomicLong positionFailuresCovered = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder servedByReplica = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private final LongAdder primaryBehind = new LongAdder();
    private final LongAdder primaryDown = new LongAdder();

    /** How positions are read and how a replica is made to wait: by the kind of database. */
    enum Flavour {
        POSTGRES("select pg_current_wal_insert_lsn()::text", "pg:"),
        GALERA("select variable_value from information_schema.global_status where variable_name = 'WSREP_LAST_COMMITTED'", "galera:");

        final String positionSql;
        final String prefix;

        Flavour(String positionSql, String prefix) {
            this.positionSql = positionSql;
            this.prefix = prefix;
        }
    }

    private ReplicaRouter(Flavour flavour, List<Replica> replicas, Replica primaryNode, Duration defaultWait,
                          Function<String, String> primaryScalar) {
        this.flavour = flavour;
        this.replicas = replicas;
        this.primaryNode = primaryNode;
        this.defaultWait = defaultWait;
        this.primaryScalar = primaryScalar;
    }

    /**
     * A router for a Database, or {@code null} when it has nothing to route and no positions to give: SQLite, or a
     * MariaDB/MySQL server that is not a Galera node and has no replicas.
     *
     * @param dialect       the primary's dialect name ({@code sqlite}, {@code postgresql} or {@code mariadb})
     * @param primaryUrl    the primary's JDBC URL, or {@code null} when the Database runs on a user's DataSource
     * @param replicaUrls   the replicas' JDBC URLs
     * @param defaultWait   how long a read waits for a replica unless its options say otherwise
     * @param opener        opens a Database on a URL with the primary's settings plus driver properties
     * @param primaryScalar runs one query returning one text value on the primary
     * @throws HoldfastException when the database cannot have replicas Holdfast can read consistently
     */
    public static ReplicaRouter create(String dialect, String primaryUrl, List<String> replicaUrls, Duration defaultWait,
                                       BiFunction<String, Map<String, String>, Database> opener, Function<String, String> primaryScalar) {
        Flavour flavour = switch (dialect) {
            case "postgresql" -> Flavour.POSTGRES;
            case "mariadb" -> {
                String wsrep;
                HoldfastException unknown = null;
                try {
                    wsrep = primaryScalar.apply("select cast(@@wsrep_on as char)");
                } catch (HoldfastException e) {
                    wsrep = null; // MySQL has no wsrep_on: not a Galera node
                    unknown = e;
                }
                if (!(wsrep != null && (wsrep.equals("1") || wsrep.equalsIgnoreCase("ON")))) { // the driver's text of a boolean varies
                    if (replicaUrls.isEmpty()) {
                        LOG.debug("Not a Galera node (@@wsrep_on = {}): no causal tokens", wsrep, unknown);
                        yield null;
                    }
                    HoldfastException refused = new HoldfastException("replica(...) on MariaDB/MySQL needs a Galera cluster "
                            + "(wsrep_on = ON), and this server is not a Galera node (@@wsrep_on = " + wsrep + "). With asynchronous "
                            + "MariaDB replication Holdfast cannot tell what a replica has applied, so it would serve stale reads; "
                            + "send reads to the primary, or run Galera");
                    if (unknown != null) {
                        refused.addSuppressed(unknown);
                    }
                    throw refused;
                }
                yield Flavour.GALERA;
            }
            default -> {
                if (replicaUrls.isEmpty()) {
                    yield null;
                }
                throw new HoldfastException("replica(...) is for PostgreSQL streaming replicas and MariaDB Galera "
                        + "nodes; " + dialect + " has no replicas. Remove the replica(...) calls");
            }
        };
        if (flavour == null) {
            return null;
        }
        // Galera: a read that must see given writes makes its session wait until the node has applied everything
        // the cluster had committed when the read began (wsrep_sync_wait = 1, reads only), in a pool of its own.
        Map<String, String> causal = flavour == Flavour.GALERA ? Map.of("sessionVariables", "wsrep_sync_wait=1") : Map.of();
        List<Replica> replicas = replicaUrls.stream().map(url -> new Replica(url, opener, causal)).toList();
        Replica primaryNode = primaryUrl == null ? null : new Replica(primaryUrl, opener, causal);
        return new ReplicaRouter(flavour, replicas, primaryNode, defaultWait, primaryScalar);
    }

    /**
     * A position covering every commit this Database has made. With replicas it is tracked after each commit; without
     * (a Database that only hands tokens to readers elsewhere) the primary is asked now, which covers them as well.
     */
    public CausalToken lastCommit() {
        if (replicas.isEmpty()) {
            return position();
        }
        return lastCommit.get();
    }

    /** True when reads are routed: commits must then report their position ({@link #committed()}). */
    public boolean routes() {
        return !replicas.isEmpty();
    }

    private CausalToken position() {
        return CausalToken.parse(flavour.prefix + primaryScalar.apply(flavour.positionSql));
    }

    /**
     * Records where the primary's WAL (or the cluster's commit sequence) is now, after a commit returned: it covers
     * that commit. On PostgreSQL the insert position is used rather than {@code pg_current_wal_lsn()}: with
     * {@code synchronous_commit = off} a COMMIT returns before its record is written, so only the insert position is
     * sure to be at or after it.
     */
    public void committed() {
        long failedBefore = positionFailures.get();
        CausalToken token;
        try {
            token = position();
        } catch (HoldfastException e) {
            // The commit stands, but without its position no replica can be known to have it: reads that need this
            // Database's writes go to the primary until a position read after this failure covers it.
            if (!positionUnknown()) {
                LOG.warn("Could not read the commit position from the primary ({}); reads go to the primary until the next commit", e.getMessage());
            }
            positionFailures.incrementAndGet();
            return;
        }
        lastCommit.accumulateAndGet(token, CausalToken::max);
        // Failures counted before this position was read belong to commits that had returned by then: it covers them.
        positionFailuresCovered.accumulateAndGet(failedBefore, Math::max);
    }

    private boolean positionUnknown() {
        return positionFailures.get() > positionFailuresCovered.get();
    }

    /** Counts so far. */
    public ReplicaReads reads() {
        return new ReplicaReads(servedByReplica.sum(), waited.sum(), primaryBehind.sum(), primaryDown.sum());
    }

    /** Routes one read: to a replica that has the position the read needs, else to the primary. */
    public <R, X extends Exception> R read(ReadOptions options, TransactionCallback<R, X> body, PrimaryRead<R, X> primary) throws X {
        TransactionOptions tx = options.transaction();
        CausalToken given = options.after();
        if (!given.isNone() && (flavour == Flavour.POSTGRES ? !given.isPostgres() : !given.isGalera())) {
            throw new IllegalArgumentException("ReadOptions.after(" + given + "): a token of another kind of database; this one "
                    + "takes " + flavour.prefix + "... tokens from db.lastCommit() of a Database on the same cluster");
        }
        CausalToken needed = options.isAnyReplica() ? CausalToken.none() : given.max(lastCommit.get());
        if (replicas.isEmpty() || tx.isolation() == Isolation.SERIALIZABLE || (!options.isAnyReplica() && positionUnknown())) {
            // A hot standby refuses SERIALIZABLE reads: the primary is the only place for them.
            return onPrimary(needed, tx, body, primary);
        }
        Duration wait = options.maxWait() != null ? options.maxWait() : defaultWait;
        long start = System.nanoTime();
        boolean anyReachable = false;
        int first = Math.floorMod(next.getAndIncrement(), replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get((first + i) % replicas.size());
            if (replica.isDown(System.nanoTime())) {
                continue;
            }
            try {
                Reached reached = awaitPosition(replica, needed, start, wait);
                anyReachable = true;
                if (reached == Reached.BEHIND) {
                    continue;
                }
                R value = replica.database(!needed.isNone()).read(tx, body);
                markUp(replica);
                servedByReplica.increment();
                if (reached == Reached.AFTER_WAITING) {
                    waited.increment();
                }
                return value;
            } catch (RuntimeException e) {
                if (!isUnreachable(e)) {
                    throw e;
                }
                markDown(replica, e);
            }
        }
        (anyReachable ? primaryBehind : primaryDown).increment();
        return onPrimary(needed, tx, body, primary);
    }

    /**
     * A PostgreSQL primary has every commit. A Galera node may not yet have applied a write made through another node
     * (the token came from elsewhere): such a read waits for the cluster on the primary too.
     */
    private <R, X extends Exception> R onPrimary(CausalToken needed, TransactionOptions tx, TransactionCallback<R, X> body,
                                                 PrimaryRead<R, X> primary) throws X {
        if (flavour == Flavour.GALERA && !needed.isNone() && primaryNode != null) {
            return primaryNode.database(true).read(tx, body);
        }
        return primary.run(tx);
    }

    private enum Reached { AT_ONCE, AFTER_WAITING, BEHIND }

    private Reached awaitPosition(Replica replica, CausalToken needed, long start, Duration wait) {
        if (flavour == Flavour.GALERA || replica.replayed.covers(needed)) {
            return Reached.AT_ONCE; // Galera: the read's session waits itself (wsrep_sync_wait)
        }
        Database db = replica.database(false);
        long pause = 1;
        for (boolean first = true; ; first = false) {
            String replayed = db.queryScalar(String.class, "select pg_last_wal_replay_lsn()::text");
            if (replayed == null) {
                throw new HoldfastException("replica " + replica + " is not replaying WAL: it is a primary now (promoted?) "
                        + "or was never a replica; its reads go to the primary",
                        new SQLNonTransientConnectionException("not in recovery", "08000"));
            }
            CausalToken position = CausalToken.parse("pg:" + replayed);
            replica.replayed = replica.replayed.max(position);
            if (position.covers(needed)) {
                return first ? Reached.AT_ONCE : Reached.AFTER_WAITING;
            }
            long left = start + wait.toNanos() - System.nanoTime();
            if (left <= 0) {
                return Reached.BEHIND;
            }
            sleep(Math.min(Math.min(pause, MAX_POLL.toMillis()), Math.max(1, left / 1_000_000)));
            pause *= 2;
        }
    }

    private void markDown(Replica replica, RuntimeException e) {
        replica.downUntilNanos = System.nanoTime() + DOWN_FOR.toNanos();
        if (!replica.warnedDown) {
            replica.warnedDown = true;
            LOG.warn("Replica {} cannot be reached ({}); its reads go to the primary, and it is tried again every {} s",
                    replica, e.getMessage(), DOWN_FOR.toSeconds());
        }
    }

    private static void markUp(Replica replica) {
        if (replica.warnedDown) {
            replica.warnedDown = false;
            replica.downUntilNanos = 0;
            LOG.info("Replica {} is back; reads go to it again", replica);
        }
    }

    /** A failure to reach the replica, as opposed to a failure of the read itself (bad SQL, a missing row). */
    static boolean isUnreachable(Throwable e) {
        if (e instanceof ConnectionFailedException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoldfastException("Interrupted while waiting for a replica to catch up", e);
        }
    }

    @Override
    public void close() {
        replicas.forEach(Replica::close);
        if (primaryNode != null) {
            primaryNode.close();
        }
    }
}
