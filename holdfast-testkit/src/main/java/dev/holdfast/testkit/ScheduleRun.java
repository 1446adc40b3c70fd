package dev.holdfast.testkit;

import dev.holdfast.Isolation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler of one run. Each actor runs on its own thread; every statement, commit and rollback it sends stops at
 * a gate ({@link #step}) until the scheduler lets that actor through. Between two decisions the scheduler waits until
 * every actor has settled: it is at its gate, done, or inside a step that the database reports as waiting for a lock
 * ({@link BlockedStepDetector}). Only then does it ask the {@link Chooser} which ready actor goes next, so the same
 * sequence of choices gives the same run.
 *
 * <p>A report of "waiting" is trusted only when nothing moved since the question was asked (an epoch counter). A step that neither finishes nor shows as waiting within the
 * last-resort timeout is marked {@link Step.Wait#TIMEOUT}.
 */
final class ScheduleRun {
    private static final ThreadLocal<ActorState> CURRENT = new ThreadLocal<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    enum Phase { STARTING, RUNNING, AT_GATE, GRANTED, EXECUTING, DONE }

    /** The code of one actor with its database handle already bound. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** Thrown at a gate when the run is abandoned, to unwind the actor's thread. Not an Exception: code under test does not catch it. */
    static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("the interleaver abandoned this run", null, false, false);
        }
    }

    static final class ActorState {
        final String name;
        final Body body;
        final ScheduleRun run;
        Phase phase = Phase.STARTING;
        boolean busyWaiting;          // SQLite said SQLITE_BUSY: not ready until another actor ends a transaction
        long confirmedAtEpoch = -1;   // the detector saw the executing step wait, at this epoch
        String victimOf;              // set when the scheduler cancels this actor's step to end a deadlock
        boolean passable;             // the script marked the executing step (*): it counts as waiting once sent
        String pendingSql;
        List<Object> pendingParameters;
        StepRecord current;
        long connectionId;
        ActorConnection executingOn;  // the connection of the step in the database
        Throwable error;
        Thread thread;
        final List<ActorConnection> opened = new ArrayList<>();
        final Deque<ActorConnection> idle = new ArrayDeque<>();

        ActorState(String name, Body body, ScheduleRun run) {
            this.name = name;
            this.body = body;
            this.run = run;
        }
    }

    /** What {@link #execute} returns. */
    record Result(List<String> schedule, List<Step> steps, Map<String, Throwable> errors, String stopReason) {
    }

    private final Target target;
    private final BlockedStepDetector detector;
    private final long lastResortNanos;
    private final int maxSteps;
    private final boolean script;
    private final boolean chooseVictims;
    private final long javaTimeoutNanos;
    private final Isolation jdbcIsolation;
    private final Duration deadlockTimeout;
    private final ActorConnections connections;
    private final List<ActorState> actors = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<String> schedule = new ArrayList<>();
    private long epoch;
    private boolean abandoned;

    /**
     * @param script true to run as a script ({@link Interleaver#runScript}): each step is sent once, so SQLITE_BUSY
     *               is the step's error rather than a reason to send it again
     * @param chooseVictims true when the scheduler ends deadlocks itself ({@link #endADeadlock}) instead of leaving
     *               it to the database's timer
     * @param javaTimeoutNanos how long an actor may run its own code without sending a statement
     */
    ScheduleRun(Target target, BlockedStepDetector detector, long lastResortNanos, int maxSteps, boolean script,
                boolean chooseVictims, long javaTimeoutNanos, Isolation jdbcIsolation,
                Duration deadlockTimeout, ActorConnections connections) {
        this.target = target;
        this.connections = connections;
        this.jdbcIsolation = jdbcIsolation;
        this.deadlockTimeout = deadlockTimeout;
        this.chooseVictims = chooseVictims;
        this.javaTimeoutNanos = javaTimeoutNanos;
        this.detector = detector;
        this.lastResortNanos = lastResortNanos;
        this.maxSteps = maxSteps;
        this.script = script;
    }

    void addActor(String name, Body body) {
        actors.add(new ActorState(name, body, this));
    }

    /** The actor whose thread is calling, or {@code null} outside any actor. */
    static ActorState current() {
        return CURRENT.get();
    }

    // ------------------------------------------------------------------------------------------- scheduler thread

    Result execute(Chooser chooser) {
        for (ActorState a : actors) {
            a.thread = new Thread(() -> actorMain(a), "holdfast-actor-" + a.name);
            a.thread.setDaemon(true);
            a.thread.start();
        }
        String stop = null;
        long stuckSince = 0;
        try {
            while (stop == null) {
                stop = settle();
                if (stop != null) {
                    break;
                }
                if (chooseVictims && endADeadlock()) {
                    continue;
                }
                List<String> ready = new ArrayList<>();
                List<String> waiting = new ArrayList<>();
                boolean allDone = true;
                boolean busy = false;
                lock.lock();
                try {
                    for (ActorState a : actors) {
                        allDone &= a.phase == Phase.DONE;
                        if (a.phase == Phase.EXECUTING) {
                            waiting.add(a.name);
                        }
                        if (a.phase == Phase.AT_GATE) {
                            if (a.busyWaiting) {
                                busy = true;
                            } else {
                                ready.add(a.name);
                            }
                        }
                    }
                    if (allDone) {
                        break;
                    }
                    if (ready.isEmpty()) {
                        if (busy) {
                            // Every actor left waits on SQLite's lock and none holds it any more: let them all try again.
                            actors.forEach(a -> a.busyWaiting = false);
                            continue;
                        }
                        boolean ended = chooser.ended(schedule.size());
                        if (ended && !passableStepStillMoves()) {
                            break;   // a script that has nothing left to send: finish() cancels the waiting steps
                        }
                        // Every actor left waits on a lock: only the database can end this (its deadlock detector).
                        if (stuckSince == 0) {
                            stuckSince = System.nanoTime();
                        } else if (System.nanoTime() - stuckSince > lastResortNanos) {
                            if (chooser.cancelsAtLastResort() || ended) {
                                cancelWaiting();
                                stuckSince = 0;
                                continue;
                            }
                            stop = "every actor that is not done waits on a lock and the database resolved nothing within "
                                    + TimeUnit.NANOSECONDS.toMillis(lastResortNanos) + " ms (last-resort timeout)";
                            break;
                        }
                        changed.await(2, TimeUnit.MILLISECONDS);
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
                if (schedule.size() >= maxSteps) {
                    stop = "the step bound (" + maxSteps + ") was reached before every actor was done; an actor may be "
                            + "retrying without end. Raise maxSteps if the actors need more steps";
                    break;
                }
                String choice = chooser.choose(List.copyOf(ready), List.copyOf(waiting), schedule.size());
                if (choice == null) {
                    // A strict script waits for a step that waits: the database may end it (a statement timeout,
                    // a lock wait timeout, a deadlock), the last-resort timeout cancels it.
                    if (stuckSince == 0) {
                        stuckSince = System.nanoTime();
                    } else if (System.nanoTime() - stuckSince > lastResortNanos) {
                        cancelWaiting();
                        stuckSince = 0;
                        continue;
                    }
                    lock.lock();
                    try {
                        changed.await(2, TimeUnit.MILLISECONDS);
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                stuckSince = 0;
                if (!ready.contains(choice)) {
                    stop = "the schedule asks for " + choice + " at step " + (schedule.size() + 1)
                            + ", but only " + ready + " can take a step there";
                    break;
                }
                grant(choice, chooser.chosenMayBePassed());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = "interrupted";
        } catch (SQLException e) {
            stop = "the blocked-step detector failed: " + e.getMessage();
        } finally {
            finish();
        }
        Map<String, Throwable> errors = new LinkedHashMap<>();
        for (ActorState a : actors) {
            if (a.error != null && !(a.error instanceof Abandoned)) {
                errors.put(a.name, a.error);
            }
        }
        List<Step> built = steps.stream().map(StepRecord::build).toList();
        return new Result(List.copyOf(schedule), built, errors, stop);
    }

    /**
     * Ends a deadlock among the actors the way PostgreSQL would, but deterministically: when the settled actors' lock
     * waits form a cycle ({@code pg_blocking_pids}), the step that closed it — the one let through last — is the
     * victim; it is cancelled and fails with SQLSTATE 40P01, as a deadlock victim does. PostgreSQL's own choice
     * depends on which waiter's {@code deadlock_timeout} fires first after the cycle forms, that is on timing: replays
     * of one schedule lost one transfer or the other. Returns true when a victim was chosen (settle again).
     */
    private boolean endADeadlock() throws SQLException {
        List<ActorState> waiting = new ArrayList<>();
        long askedAt;
        lock.lock();
        try {
            for (ActorState a : actors) {
                if (a.phase == Phase.EXECUTING && a.victimOf == null && a.confirmedAtEpoch == epoch) {
                    waiting.add(a);
                }
            }
            askedAt = epoch;
        } finally {
            lock.unlock();
        }
        if (waiting.size() < 2) {
            return false;
        }
        Map<ActorState, List<ActorState>> waitsFor = new LinkedHashMap<>();
        for (ActorState a : waiting) {
            Set<Long> blockers = detector.blockers(a.connectionId);
            List<ActorState> on = new ArrayList<>();
            for (ActorState b : waiting) {
                if (b != a && blockers.contains(b.connectionId)) {
                    on.add(b);
                }
            }
            waitsFor.put(a, on);
        }
        List<ActorState> inACycle = new ArrayList<>();
        for (ActorState a : waiting) {
            if (reaches(a, a, waitsFor, new HashSet<>())) {
                inACycle.add(a);
            }
        }
        if (inACycle.isEmpty()) {
            return false;
        }
        ActorState victim = inACycle.get(0);
        for (ActorState a : inACycle) {
            if (a.current.index > victim.current.index) {
                victim = a;
            }
        }
        lock.lock();
        try {
            if (epoch != askedAt || victim.phase != Phase.EXECUTING) {
                return true;   // something moved while we asked: settle and look again
            }
            victim.victimOf = inACycle.stream().map(a -> a.name).toList().toString();
            victim.executingOn.tainted = true;   // the cancel may arrive late: never reuse this connection
            changedLocked();
        } finally {
            lock.unlock();
        }
        detector.cancel(victim.connectionId);
        return true;
    }

    private static boolean reaches(ActorState from, ActorState to, Map<ActorState, List<ActorState>> waitsFor,
                                   Set<ActorState> seen) {
        for (ActorState next : waitsFor.getOrDefault(from, List.of())) {
            if (next == to || seen.add(next) && reaches(next, to, waitsFor, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a step the script marked {@code (*)} is running and the database does not report it waiting on a
     * lock: it may still end on its own (SQLite's busy handler, a sleep), so the end of a script waits for it. Called
     * with the lock held.
     */
    private boolean passableStepStillMoves() throws SQLException {
        for (ActorState a : actors) {
            if (a.phase == Phase.EXECUTING && a.passable && a.current.waited == Step.Wait.NONE) {
                if (!detector.isWaiting(a.connectionId)) {
                    return true;
                }
                a.current.waited = Step.Wait.LOCK;
            }
        }
        return false;
    }

    /**
     * Cancels every step that waits, as PostgreSQL's isolation tester cancels a step that outlives its timeout: the
     * steps fail ("cancelled" in the trace) and the run goes on.
     */
    private void cancelWaiting() {
        List<Long> ids = new ArrayList<>();
        lock.lock();
        try {
            for (ActorState a : actors) {
                if (a.phase == Phase.EXECUTING && !a.current.cancelled) {
                    a.current.cancelled = true;
                    a.executingOn.tainted = true;
                    a.current.cancelNote = "still waiting after the last-resort timeout ("
                            + TimeUnit.NANOSECONDS.toMillis(lastResortNanos) + " ms)";
                    ids.add(a.connectionId);
                }
            }
            changedLocked();
        } finally {
            lock.unlock();
        }
        ids.forEach(detector::cancel);
    }

    private void grant(String name, boolean passable) {
        lock.lock();
        try {
            ActorState a = actor(name);
            a.passable = passable;
            StepRecord record = new StepRecord(schedule.size() + 1, a.name, a.pendingSql, a.pendingParameters);
            steps.add(record);
            schedule.add(a.name);
            a.current = record;
            a.phase = Phase.GRANTED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no actor is running code or a step that is not known to wait. Returns a reason to stop the run, or
     * {@code null}.
     */
    private String settle() throws InterruptedException, SQLException {
        long start = System.nanoTime();
        long dbStart = 0;
        long pause = TimeUnit.MICROSECONDS.toNanos(50);
        lock.lock();
        try {
            for (;;) {
                List<ActorState> unconfirmed = new ArrayList<>();
                List<String> running = new ArrayList<>();
                boolean inTheDatabase = false;   // a step is running that is not known to wait, or being cancelled
                for (ActorState a : actors) {
                    switch (a.phase) {
                        case STARTING, GRANTED -> running.add(a.name);
                        case RUNNING -> {
                            if (!waitsInTheJvmOnASettledActor(a)) {
                                running.add(a.name);
                            }
                        }
                        case EXECUTING -> {
                            if (a.victimOf != null) {
                                inTheDatabase = true;   // its cancel is on the way: wait for the step to fail
                            } else if (a.passable) {
                                // marked (*) in the script: counts as waiting from the moment it was sent
                            } else if (a.confirmedAtEpoch != epoch) {
                                unconfirmed.add(a);
                                inTheDatabase = true;
                            }
                        }
                        case AT_GATE, DONE -> { }
                    }
                }
                if (running.isEmpty() && !inTheDatabase) {
                    return null;
                }
                // Java code between statements (an ORM starting up on a loaded machine) has its own, long bound:
                // the last-resort timeout is about steps inside the database only.
                if (!running.isEmpty() && System.nanoTime() - start > javaTimeoutNanos) {
                    return "actor(s) " + running + " ran for more than " + TimeUnit.NANOSECONDS.toMillis(javaTimeoutNanos)
                            + " ms without sending a statement (javaTimeout); is the actor sleeping or waiting on "
                            + "something outside the database?";
                }
                if (!running.isEmpty()) {
                    dbStart = 0;
                } else if (dbStart == 0) {
                    dbStart = System.nanoTime();
                }
                if (running.isEmpty() && System.nanoTime() - dbStart > lastResortNanos) {
                    for (ActorState a : unconfirmed) {
                        a.current.waited = Step.Wait.TIMEOUT;
                        a.executingOn.tainted = true;
                        a.confirmedAtEpoch = epoch;
                    }
                    continue;
                }
                changed.awaitNanos(pause);
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(2));
                if (running.isEmpty() && !unconfirmed.isEmpty()) {
                    askTheDatabase(unconfirmed);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when the actor is blocked in the JVM (a {@code synchronized} block, a {@code ReentrantLock}: an application
     * lock, as in Django bug 6) on a lock that another actor holds while it waits at its gate or inside a step the
     * database reports as waiting. Such an actor cannot move until the scheduler lets the owner go on, so it counts as
     * waiting, not running; without this the run would stop at the last-resort timeout. Called with the lock held.
     */
    private boolean waitsInTheJvmOnASettledActor(ActorState a) {
        Thread t = a.thread;
        Thread.State state = t == null ? null : t.getState();
        if (state != Thread.State.BLOCKED && state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        ThreadInfo info = THREADS.getThreadInfo(t.getId());
        long owner = info == null ? -1 : info.getLockOwnerId();
        for (ActorState o : actors) {
            if (o != a && o.thread != null && o.thread.getId() == owner) {
                return o.phase == Phase.AT_GATE || o.phase == Phase.EXECUTING && o.confirmedAtEpoch == epoch;
            }
        }
        return false;
    }

    /** Called with the lock held; releases it while the monitor connection asks. */
    private void askTheDatabase(List<ActorState> executing) throws SQLException {
        long askedAt = epoch;
        List<StepRecord> records = new ArrayList<>();
        long[] ids = new long[executing.size()];
        for (int i = 0; i < ids.length; i++) {
            records.add(executing.get(i).current);
            ids[i] = executing.get(i).connectionId;
        }
        boolean[] waiting = new boolean[ids.length];
        lock.unlock();
        try {
            for (int i = 0; i < ids.length; i++) {
                waiting[i] = detector.isWaiting(ids[i]);
            }
        } finally {
            lock.lock();
        }
        if (epoch != askedAt) {
            return;   // something moved while we asked: the answers may be stale
        }
        for (int i = 0; i < ids.length; i++) {
            ActorState a = executing.get(i);
            if (waiting[i] && a.phase == Phase.EXECUTING && a.current == records.get(i)) {
                a.confirmedAtEpoch = epoch;
                a.current.waited = Step.Wait.LOCK;
            }
        }
    }

    /** Ends the run: releases actors at their gates, cancels waiting statements, joins threads, closes connections. */
    private void finish() {
        List<Long> waitingIds = new ArrayList<>();
        lock.lock();
        try {
            abandoned = true;
            for (ActorState a : actors) {
                if (a.phase == Phase.EXECUTING) {
                    waitingIds.add(a.connectionId);
                    a.current.cancelled = true;
                    a.executingOn.tainted = true;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        waitingIds.forEach(detector::cancel);
        for (ActorState a : actors) {
            join(a, 10_000);
            if (a.thread.isAlive()) {
                synchronized (a.opened) {
                    for (ActorConnection c : a.opened) {
                        c.tainted = true;
                        try {
                            c.raw.abort(Runnable::run);
                        } catch (SQLException | RuntimeException ignored) {
                            // closing below
                        }
                    }
                }
                join(a, 5_000);
            }
            synchronized (a.opened) {
                if (a.thread.isAlive()) {
                    a.opened.forEach(c -> c.tainted = true);
                }
                a.opened.forEach(connections::giveBack);   // reset and kept for the next run, or closed
            }
        }
    }

    private static void join(ActorState a, long millis) {
        try {
            a.thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ActorState actor(String name) {
        for (ActorState a : actors) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no actor named " + name);
    }

    // -------------------------------------------------------------------------------------------- actor threads

    private void actorMain(ActorState a) {
        CURRENT.set(a);
        moved(a, Phase.RUNNING);
        try {
            a.body.run();
        } catch (Throwable t) {
            a.error = t;
        } finally {
            // A connection the actor left open would hold its locks for ever: end it as a pool would.
            synchronized (a.opened) {
                for (ActorConnection c : a.opened) {
                    try {
                        c.reset();
                    } catch (SQLException ignored) {
                        // closed at the end of the run
                    }
                }
            }
            CURRENT.remove();
            lock.lock();
            try {
                for (ActorState other : actors) {
                    other.busyWaiting = false;
                }
                a.phase = Phase.DONE;
                changedLocked();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A connection for the calling actor: one it returned earlier in this run, or a new one. */
    ActorConnection borrow(ActorState a) throws SQLException {
        ActorConnection c = a.idle.poll();
        if (c == null) {
            c = connections.take();
            synchronized (a.opened) {
                a.opened.add(c);
            }
        }
        return c;
    }

    void giveBack(ActorState a, ActorConnection c) throws SQLException {
        c.reset();
        a.idle.push(c);
    }

    /**
     * The gate: blocks the calling actor until the scheduler lets this step through, runs it, and records the
     * outcome. On SQLite a step that fails with SQLITE_BUSY goes back to the gate and runs again once another actor
     * has ended a transaction.
     */
    <T> T step(ActorState a, ActorConnection connection, String sql, List<Object> parameters,
               boolean jdbcCommitOrRollback, SqlCall<T> call) throws SQLException {
        for (;;) {
            StepRecord record;
            lock.lock();
            try {
                a.pendingSql = sql;
                a.pendingParameters = parameters;
                a.phase = Phase.AT_GATE;
                changedLocked();
                while (a.phase == Phase.AT_GATE) {
                    if (abandoned) {
                        throw new Abandoned();
                    }
                    changed.awaitUninterruptibly();
                }
                record = a.current;
                a.connectionId = connection.id;
                a.executingOn = connection;
                a.phase = Phase.EXECUTING;
                changedLocked();
            } finally {
                lock.unlock();
            }
            T result;
            try {
                result = call.call();
            } catch (SQLException thrown) {
                SQLException e = thrown;
                lock.lock();
                try {
                    if (a.victimOf != null) {
                        e = new SQLException("ERROR: deadlock detected: the actors " + a.victimOf + " wait for each "
                                + "other; the interleaver ended the cycle at the step that closed it (" + a.name
                                + "'s), as PostgreSQL's deadlock detector would", "40P01", thrown);
                        a.victimOf = null;
                    }
                } finally {
                    lock.unlock();
                }
                boolean busy = !script && target.kind == Target.Kind.SQLITE && SqliteBusy.is(e);
                connection.tainted = true;   // what a failed statement leaves behind is not worth proving clean
                lock.lock();
                try {
                    record.failed(e);
                    if (busy) {
                        record.waited = Step.Wait.BUSY;
                        a.busyWaiting = true;
                    } else {
                        finished(a, record, false);
                    }
                } finally {
                    lock.unlock();
                }
                if (busy) {
                    continue;
                }
                throw e;
            }
            boolean ended = connection.endedTransaction(sql, jdbcCommitOrRollback);
            lock.lock();
            try {
                a.victimOf = null;
                record.succeeded(result);
                finished(a, record, ended);
            } finally {
                lock.unlock();
            }
            return result;
        }
    }

    private void finished(ActorState a, StepRecord record, boolean endedTransaction) {
        if (record.waited != Step.Wait.NONE && !record.cancelled) {
            record.resumedAfter = schedule.size();
        }
        if (endedTransaction) {
            for (ActorState other : actors) {
                if (other != a) {
                    other.busyWaiting = false;
                }
            }
        }
        a.phase = Phase.RUNNING;
        changedLocked();
    }

    private void moved(ActorState a, Phase phase) {
        lock.lock();
        try {
            a.phase = phase;
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    private void changedLocked() {
        epoch++;
        changed.signalAll();
    }
}
