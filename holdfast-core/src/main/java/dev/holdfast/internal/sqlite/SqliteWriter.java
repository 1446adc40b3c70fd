package dev.holdfast.internal.sqlite;

import dev.holdfast.error.ConflictException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.internal.Boundary;
import dev.holdfast.internal.ConnectionFailures;
import dev.holdfast.internal.Engine;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one thread that writes to an SQLite file, with the one connection it owns, fed by a bounded queue of
 * {@link WriterUnit}s.
 *
 * <p>Why: SQLite allows one writer at a time. Threads with connections of their own collide on the write lock and
 * either wait in the busy handler (seconds of tail latency) or fail with "database is locked" and back off. One writer
 * never collides, and it can commit many transactions with one fsync: it takes every unit waiting in the queue (up to
 * {@code maxGroup}), runs each inside its own {@code SAVEPOINT} within one {@code BEGIN IMMEDIATE}, and commits once
 * (group commit). A unit that throws is rolled back to its savepoint alone. Callers are released only after the COMMIT
 * that covers them succeeded.
 *
 * <p>Failures that break a whole group are handled so that no caller is told a lie:
 * <ul>
 *   <li>COMMIT fails: the group is rolled back; every caller in it gets the failure (a copy of its own, same
 * type).</li>
 *   <li>a unit's savepoint cannot be rolled back (SQLite already rolled back the whole transaction after an I/O error,
 *       a full disk or an interrupt): the failing unit's caller gets its exception, the units that ran before it get a
 *       {@link ConflictException} (they are retried by their caller's retry loop), the ones after it run in a new
 * group.</li>
 *   <li>a unit throws an {@link Error}: the group is rolled back, the connection closed, the unit's caller gets the
 *       Error and the other callers of the group a {@link HoldfastException} saying so; the thread ends, and a fresh
 *       writer (new thread, new connection) takes over the queue.</li>
 * </ul>
 *
 * <p>An uncontended caller skips the hand-off ({@link #runInCaller}): when the queue is empty, the last group had one
 * unit and nobody holds the connection, the caller takes the connection itself and runs its unit in its own thread, as
 * a transaction of its own (BEGIN IMMEDIATE, the body, COMMIT: no savepoint, there is no group to protect), or a single
 * statement on its own in autocommit ({@link #runAlone}). Handing a unit to the writer thread
 * and back costs two thread wake-ups (an unpark of the writer, an unpark of the caller), 15-20 µs on a loaded machine,
 * which is most of a single insert's cost when the commit's fsync is cheap; under contention the queue fills, groups
 * grow, and every caller queues again so that one fsync covers many units.
 */
public final class SqliteWriter {
    // The logger keeps the name docs/sqlite.md gives (from before the package split), so logging set-ups keep working.
    private static final Logger LOG = LoggerFactory.getLogger("dev.holdfast.SqliteWriter");
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** A unit holding the writer longer than this is logged: every other write in the process waited for it. */
    static final Duration SLOW_UNIT = Duration.ofSeconds(1);
    /** How long a submitter waits for room in a full queue when its transaction has no timeout. */
    static final Duration DEFAULT_QUEUE_WAIT = Duration.ofSeconds(30);
    /** Put in the queue by {@link #close()}: everything before it is run, then the writer stops. */
    private static final WriterUnit<Void> STOP = new WriterUnit<>(null, null, null, null);
    /**
     * How long the writer may wait for the callers it just released to come back before it commits a smaller group.
     * Well under one fsync: waiting is worth it only while it costs less than the extra COMMIT it saves.
     */
    private static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private enum Verdict { OK, FAILED, BROKEN, FATAL }

    private final String url;
    private final Properties properties;
    private final ArrayBlockingQueue<WriterUnit<?>> queue;
    private final int capacity;
    private final int maxGroup;
    /** Submitters hold it shared while they enqueue; close() takes it exclusively, so none enqueues after STOP. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /**
     * Held by whoever runs a group on the connection: the writer thread, or a caller running its own unit. Guards
     * {@link #connection} and {@link #statements}.
     */
    private final ReentrantLock running = new ReentrantLock();
    /** Units in the last group run; more than one means callers are contending, and they queue for group commit. */
    private volatile int lastGroup = 1;
    private final Object threadLock = new Object();
    private volatile Thread thread;          // the running writer thread, null between a death and the next start
    private volatile boolean closing;
    private Connection connection;          // used only by the writer thread; handed over on a restart under threadLock
    private StatementCache statements;      // prepared statements of that connection, reused by every unit

    /** Opens the writer's connection at once, so that a bad URL or file fails here and not in the first transaction. */
    public SqliteWriter(String url, Properties properties, int capacity, int maxGroup) {
        this.url = url;
        this.properties = properties;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.maxGroup = maxGroup;
        this.connection = open();
        this.statements = new StatementCache(connection);
    }

    // ------------------------------------------------------------------------------------------------ caller side

    /**
     * Queues a unit, waiting for room up to the transaction's deadline (or {@link #DEFAULT_QUEUE_WAIT}).
     *
     * @throws HoldfastException when the database is closed, the queue stayed full, or the caller is the writer itself
     */
    void submit(WriterUnit<?> unit) {
        if (Thread.currentThread() == thread || running.isHeldByCurrentThread()) {
            throw new HoldfastException("A new write transaction was started on the SQLite writer thread outside any "
                    + "transaction (from a StatementListener?); it would wait for itself forever. Do the work in the "
                    + "calling thread instead");
        }
        gate.readLock().lock();
        try {
            if (closing) {
                throw new HoldfastException("This Database is closed (or closing): the SQLite writer accepts no new "
                        + "transactions; nothing of this one was run. Open a new Database to write again");
            }
            if (!queue.offer(unit)) {
                long deadline = unit.attempt.deadlineNanos();
                long wait = deadline != 0 ? deadline - System.nanoTime() : DEFAULT_QUEUE_WAIT.toNanos();
                boolean queued;
                try {
                    queued = queue.offer(unit, Math.max(0, wait), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HoldfastException("Interrupted while waiting for room in the SQLite writer's queue; "
                            + "the transaction was not run", e);
                }
                if (!queued) {
                    throw new TransactionTimeoutException("The SQLite writer's queue stayed full (" + capacity
                            + " transactions waiting) for " + TimeUnit.NANOSECONDS.toMillis(Math.max(0, wait))
                            + " ms; this transaction was not run. Writes arrive faster than one writer commits them, "
                            + "or a transaction holds the writer (see WARN logs). Raise writerQueueCapacity or the "
                            + "timeout, or slow the producers down", null);
                }
            }
        } finally {
            gate.readLock().unlock();
        }
        ensureRunning();
    }

    /**
     * Runs a synchronous caller's unit in the caller's own thread ({@link #runAlone}) when nobody else is writing: the
     * queue is empty, the last group had one unit, and the connection is free. Returns false, having done nothing,
     * when the unit must be queued instead (then {@link #submit} also reports a closed database). On true the unit's
     * outcome is set, exactly as the writer thread would have set it: released only after its own COMMIT.
     */
    boolean runInCaller(WriterUnit<?> unit) {
        if (unit.completer != null || lastGroup > 1 || !queue.isEmpty() || Thread.currentThread() == thread
                || running.isHeldByCurrentThread()) {
            return false;
        }
        if (!gate.readLock().tryLock()) {
            return false;   // close() is under way
        }
        try {
            if (closing || !running.tryLock()) {
                return false;
            }
            try {
                if (!queue.isEmpty()) {
                    return false;   // someone queued meanwhile: take turns through the queue
                }
                unit.ranInCaller = true;
                runAlone(unit);
            } catch (WriterDeath death) {
                // the unit threw an Error: it has it, the connection is closed, the next group opens a fresh one
            } catch (Throwable unexpected) {
                closeConnection();
                unit.fail(new HoldfastException("Running this transaction on the SQLite connection failed ("
                        + unexpected + "); it was rolled back and nothing of it is committed", unexpected));
            } finally {
                running.unlock();
            }
            return true;
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * The marker attached (as suppressed) to an exception a unit threw on the writer thread when it is rethrown in the
     * caller's thread: its stack trace is the caller's, so both ends of the hand-off are in the report.
     */
    static HoldfastException handOff() {
        return new HoldfastException("Rethrown in thread '" + Thread.currentThread().getName() + "', which submitted "
                + "the transaction; the exception itself was thrown on the SQLite writer thread, which runs every "
                + "write transaction of this Database");
    }

    /**
     * Stops accepting units, runs every unit already queued, commits, and only then closes the connection. Waits for
     * that, however long the queued units take.
     */
    public void close() {
        if (Thread.currentThread() == thread || running.isHeldByCurrentThread()) {
            throw new IllegalStateException("Database.close() was called inside a write transaction, on the SQLite "
                    + "writer thread; it would wait for itself. Close the Database after transact(...) returns");
        }
        boolean first;
        gate.writeLock().lock();
        try {
            first = !closing;
            closing = true;
        } finally {
            gate.writeLock().unlock();
        }
        boolean interrupted = false;
        if (first) {
            while (true) {
                try {
                    queue.put(STOP);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            ensureRunning();
        }
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureRunning() {
        if (thread == null) {
            synchronized (threadLock) {
                if (thread == null && stopped.getCount() > 0) {
                    start();
                }
            }
        }
    }

    private void start() {
        Thread t = new Thread(this::loop, "holdfast-sqlite-writer-" + THREADS.incrementAndGet());
        t.setDaemon(true);   // a Database nobody closed must not keep the JVM alive; its callers keep it alive anyway
        thread = t;
        t.start();
    }

    // ------------------------------------------------------------------------------------------------ writer side

    private void loop() {
        List<WriterUnit<?>> batch = new ArrayList<>(maxGroup);
        boolean stop = false;
        try {
            while (!stop) {
                batch.add(queue.take());
                running.lock();   // waits for a caller running its own unit
                try {
                    // taken after the lock, so the units that queued behind that caller all join this group
                    queue.drainTo(batch, maxGroup - 1);
                    int last = lastGroup;
                    if (batch.size() < last) {
                        gather(batch, Math.min(last, maxGroup));
                    }
                    stop = batch.remove(STOP);   // always last: close() lets no one enqueue after it
                    // more than one unit means callers contend: they keep queueing for group commit
                    lastGroup = Math.max(1, batch.size());
                    runGroup(batch);
                } finally {
                    running.unlock();
                }
                batch.clear();
            }
        } catch (WriterDeath death) {
            LOG.error("The SQLite writer thread {} died: a transaction threw {}; the other transactions of its group "
                    + "were rolled back and told so, and a fresh writer takes over", Thread.currentThread().getName(),
                    death.getCause().toString(), death.getCause());
        } catch (Throwable unexpected) {
            // An interrupt from a foreign thread, or an Error outside any unit (in JDBC, in a listener at BEGIN or
            // COMMIT): nothing of the batch is known to be committed, so no caller may be left waiting or told "done".
            running.lock();
            try {
                closeConnection();
            } finally {
                running.unlock();
            }
            for (WriterUnit<?> unit : batch) {
                if (unit != STOP) {
                    unit.fail(new HoldfastException("The SQLite writer thread failed (" + unexpected + ") while "
                            + "running the group commit this transaction was part of; it was rolled back and nothing of "
                            + "it is committed. The next transaction starts a fresh writer", unexpected));
                }
            }
            LOG.error("The SQLite writer thread {} failed; a fresh writer takes over", Thread.currentThread().getName(),
                    unexpected);
        } finally {
            synchronized (threadLock) {
                if (stop) {
                    running.lock();
                    try {
                        closeConnection();
                    } finally {
                        running.unlock();
                    }
                    stopped.countDown();
                }
                thread = null;
                if (!queue.isEmpty()) {
                    start();
                }
            }
        }
    }

    /**
     * Waits briefly for the callers released by the last COMMIT to submit their next transaction. Without this, the
     * first one back gets a group of its own (a whole COMMIT and fsync for one unit) while the others are still on
     * their
     * way, and groups alternate between tiny and large. Bounded by {@link #GATHER_NANOS}; never entered by a lone
     * caller (its last group had one unit) or when the queue is full.
     */
    private void gather(List<WriterUnit<?>> batch, int expected) {
        long until = System.nanoTime() + GATHER_NANOS;
        while (batch.size() < expected && !batch.contains(STOP) && System.nanoTime() - until < 0) {
            Thread.yield();   // on a busy machine, lets those callers run
            queue.drainTo(batch, expected - batch.size());
        }
    }

    private void runGroup(List<WriterUnit<?>> batch) {
        List<WriterUnit<?>> group = new ArrayList<>(batch.size());
        for (WriterUnit<?> unit : batch) {
            if (!unit.claim()) {
                continue;   // its caller gave up (timeout, interrupt) and was told it never ran
            }
            if (unit.expired()) {
                unit.fail(new TransactionTimeoutException("The transaction waited in the SQLite writer's queue past "
                        + "its timeout and was never run; nothing of it is committed", null));
                continue;
            }
            group.add(unit);
        }
        while (!group.isEmpty()) {
            group = runOnce(group);
        }
    }

    /** Runs one group transaction; returns the units that did not get to run because the group broke. */
    private List<WriterUnit<?>> runOnce(List<WriterUnit<?>> group) {
        Connection c;
        try {
            c = connection();
        } catch (HoldfastException e) {
            failEach(group, e, "BEGIN IMMEDIATE");
            return List.of();
        }
        Session outer = group.get(0).sessions.open(c, Boundary.SQL, 0, false, 1, 0)
                .cachingStatements(statements);
        try {
            try {
                outer.begin();
            } catch (RuntimeException e) {
                closeConnection();
                failEach(group, e, "BEGIN IMMEDIATE");
                return List.of();
            }
            List<WriterUnit<?>> ran = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                WriterUnit<?> unit = group.get(i);
                Verdict verdict = runUnit(unit, c, Boundary.SAVEPOINT);
                switch (verdict) {
                    case OK -> ran.add(unit);
                    case FAILED -> { }   // rolled back to its savepoint, its caller has the exception
                    case BROKEN -> {
                        if (!outer.rollback(null)) {
                            closeConnection();
                        }
                        for (WriterUnit<?> r : ran) {
                            ConflictException retry = new ConflictException("This transaction ran in an SQLite group "
                                    + "commit that had to be rolled back: another transaction of the group failed in a "
                                    + "way that ended the whole SQLite transaction; nothing of this one is committed, "
                                    + "and it is retried", null);
                            retry.addSuppressed(unit.failure);
                            r.fail(retry);
                        }
                        return new ArrayList<>(group.subList(i + 1, group.size()));
                    }
                    case FATAL -> {
                        outer.rollback(null);
                        closeConnection();
                        Throwable error = unit.failure;
                        List<WriterUnit<?>> others = new ArrayList<>(ran);
                        others.addAll(group.subList(i + 1, group.size()));
                        for (WriterUnit<?> o : others) {
                            o.fail(new HoldfastException("The SQLite writer thread died: another transaction in the "
                                    + "same group commit threw " + error + ". This transaction was rolled back and "
                                    + "nothing of it is committed; the next transaction starts a fresh writer", error));
                        }
                        throw new WriterDeath(error);
                    }
                }
            }
            try {
                outer.commit();
            } catch (RuntimeException e) {
                if (!outer.rollback(e)) {
                    closeConnection();   // closing the connection rolls back whatever is left of the transaction
                }
                failEach(ran, e, "COMMIT");
                return List.of();
            }
            release(ran);
            return List.of();
        } finally {
            outer.close();
        }
    }

    /**
     * Runs a lone caller's unit as a transaction of its own, without the group's savepoint: {@code BEGIN IMMEDIATE},
     * the body, {@code COMMIT}; or, for a single statement on its own ({@code db.execute}, {@code db.insert}, ...), the
     * statement alone in autocommit, which SQLite makes atomic by itself, as a raw connection would send it. The
     * caller holds {@link #running}, so no other statement of this process runs on the file meanwhile; the unit's
     * outcome is set only after its COMMIT (or its autocommit statement) succeeded.
     */
    private void runAlone(WriterUnit<?> unit) {
        if (!unit.claim()) {
            return;
        }
        if (unit.expired()) {
            unit.fail(new TransactionTimeoutException("The transaction ran past its timeout before it could start; "
                    + "nothing of it is committed", null));
            return;
        }
        Connection c;
        try {
            c = connection();
        } catch (HoldfastException e) {
            failEach(List.of(unit), e, "BEGIN IMMEDIATE");
            return;
        }
        Verdict verdict = runUnit(unit, c, unit.attempt.singleStatement() ? Boundary.AUTOCOMMIT : Boundary.SQL);
        switch (verdict) {
            case OK -> unit.succeed();
            case FAILED -> { }   // rolled back, its caller has the exception
            case BROKEN -> closeConnection();   // even the ROLLBACK failed: start the next group on a fresh connection
            case FATAL -> {
                closeConnection();
                throw new WriterDeath(unit.failure);
            }
        }
    }

    private <R> Verdict runUnit(WriterUnit<R> unit, Connection c, Boundary boundary) {
        Engine.Attempt attempt = unit.attempt;
        Session tx = unit.sessions.open(c, boundary, attempt.isolationLevel(), false,
                attempt.number(), attempt.deadlineNanos()).cachingStatements(statements);
        long start = System.nanoTime();
        Map<String, String> writerContext = MDC.getCopyOfContextMap();
        useContext(unit.context);   // the caller's MDC while its body runs (docs/transactions.md)
        tx.enter();   // a db.transact inside the body joins this unit as a savepoint instead of queueing behind it
        try {
            tx.begin();
            R value = unit.body.apply(tx);
            tx.commit();
            unit.value = value;
            unit.afterCommit = tx.afterCommitActions();
            return Verdict.OK;
        } catch (Throwable t) {
            boolean clean = tx.rollback(t);
            unit.fail(t);
            if (t instanceof Error) {
                return Verdict.FATAL;
            }
            return clean ? Verdict.FAILED : Verdict.BROKEN;
        } finally {
            tx.exit();
            tx.close();
            long took = System.nanoTime() - start;
            if (took > SLOW_UNIT.toNanos()) {
                LOG.warn("A transaction held the SQLite writer for {} ms; every other write of this Database waited "
                        + "behind it. Keep sleeps, network calls and user interaction out of db.transact(...) "
                        + "(use tx.afterCommit for side effects)", TimeUnit.NANOSECONDS.toMillis(took));
            }
            useContext(writerContext);
        }
    }

    private static void useContext(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }

    /** Releases the callers of a committed group; async ones in one hand-off to their completer, not one each. */
    private static void release(List<WriterUnit<?>> committed) {
        List<WriterUnit<?>> async = null;
        for (WriterUnit<?> unit : committed) {
            if (unit.completer == null) {
                unit.succeed();
            } else {
                if (async == null) {
                    async = new ArrayList<>(committed.size());
                }
                async.add(unit);
            }
        }
        if (async != null) {
            List<WriterUnit<?>> done = async;
            done.get(0).completer.execute(() -> done.forEach(WriterUnit::succeed));
        }
    }

    /**
     * Fails every unit with the group's failure. Each caller gets an exception object of its own (the caller's stack
     * is added to it) of the same type, so that a {@link dev.holdfast.error.BusyException} is still retried by each
     * caller.
     */
    private static void failEach(List<WriterUnit<?>> units, RuntimeException failure, String what) {
        for (WriterUnit<?> unit : units) {
            RuntimeException own;
            if (failure.getCause() instanceof SQLException sql) {
                own = SqliteDialect.INSTANCE.translate(sql, what);
            } else if (failure instanceof ConflictException) {
                own = new ConflictException(failure.getMessage(), null);
                own.addSuppressed(failure);
            } else {
                own = new HoldfastException("The SQLite group commit this transaction was part of failed at " + what
                        + "; nothing of it is committed: " + failure.getMessage(), failure);
            }
            unit.fail(own);
        }
    }

    private Connection connection() {
        if (connection == null) {
            connection = open();
            statements = new StatementCache(connection);
        }
        return connection;
    }

    private Connection open() {
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw ConnectionFailures.connectionFailed(url, SqliteDialect.INSTANCE, e);
        }
    }

    private void closeConnection() {
        if (statements != null) {
            statements.close();
            statements = null;
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing the SQLite writer's connection failed", e);
            }
            connection = null;
        }
    }

    /** Ends the writer thread after an {@link Error} in a unit; every caller of the group has been told already. */
    private static final class WriterDeath extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriterDeath(Throwable error) {
            super(error);
        }
    }
}
