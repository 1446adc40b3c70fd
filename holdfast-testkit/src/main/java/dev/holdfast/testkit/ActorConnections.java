package dev.holdfast.testkit;

import dev.holdfast.Isolation;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The actors' physical connections, kept across the schedules of one exploration: opening a PostgreSQL or MariaDB
 * connection (a backend process, authentication, the session settings) was most of a schedule's time. A connection
 * comes back only when its session is reset completely ({@link Target#resetForReuse}) and nothing odd happened to it
 * in its last run: a connection on which a step failed, was cancelled (a deadlock victim, a step still waiting when a
 * run ended, a strict script's last-resort cancel) or ran into the last-resort timeout, or whose actor thread had to
 * be aborted, is closed, since a cancel request may still be in flight towards it. SQLite's connections are never
 * kept: SQLite has no statement that resets a session (every {@code PRAGMA} an actor may set), and opening one is a
 * file open. {@link Interleaver.Builder#freshConnections()} turns reuse off.
 */
final class ActorConnections implements AutoCloseable {
    private final Target target;
    private final Isolation isolation;
    private final Duration deadlockTimeout;
    private final boolean reuse;
    private final Deque<ActorConnection> idle = new ArrayDeque<>();
    private int opened;

    ActorConnections(Target target, Isolation isolation, Duration deadlockTimeout, boolean reuse) {
        this.target = target;
        this.isolation = isolation;
        this.deadlockTimeout = deadlockTimeout;
        this.reuse = reuse && target.kind != Target.Kind.SQLITE;
    }

    /** A clean connection for an actor: a kept one, or a new one. */
    synchronized ActorConnection take() throws SQLException {
        ActorConnection c = idle.poll();
        if (c != null) {
            return c;
        }
        opened++;
        return target.openForActor(isolation, deadlockTimeout);
    }

    /** Ends a run's use of a connection: reset and kept for the next run when it may be, closed otherwise. */
    void giveBack(ActorConnection c) {
        if (!reuse || c.tainted) {
            c.closeQuietly();
            return;
        }
        try {
            target.resetForReuse(c, isolation, deadlockTimeout);
        } catch (SQLException | RuntimeException e) {
            c.closeQuietly();
            return;
        }
        synchronized (this) {
            idle.push(c);
        }
    }

    /** How many physical connections were opened for actors (for tests). */
    synchronized int opened() {
        return opened;
    }

    @Override
    public synchronized void close() {
        idle.forEach(ActorConnection::closeQuietly);
        idle.clear();
    }
}
