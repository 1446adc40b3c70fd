package dev.holdfast.tasks;

import dev.holdfast.Database;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.tasks.internal.RecordJson;
import dev.holdfast.tasks.internal.TaskTables;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable tasks: long work whose status, progress and checkpoints live in the database, so any process can ask how a
 * task is doing, pause, resume or cancel it, and a task whose worker died resumes from its last checkpoint in another
 * process.
 *
 * <pre>{@code
 * record ImportState(int nextRow) {}
 *
 * Tasks tasks = Tasks.open(db);                               // creates holdfast_task if it is missing
 * tasks.register("import", ImportState.class, (ctx, state) -> {
 *     for (int row = state.nextRow(); row < 1_000; row++) {
 *         int r = row;
 *         ctx.transact(tx -> {                                  // the step's writes and its checkpoint: one commit
 *             tx.execute("insert into imported(row_no) values (?)", r);
 *             return new ImportState(r + 1);
 *         });
 *         ctx.progress(r + 1, 1_000, "rows imported");
 *     }
 * });
 * tasks.start(4);                                             // 4 worker threads in this process
 * TaskId id = tasks.submit("import", new ImportState(0));     // from any thread or process
 * TaskStatus s = tasks.status(id);                            // read from the database, every call
 * tasks.close();                                              // running tasks stop at their next checkpoint
 * }</pre>
 *
 * <p>Every claim of a task gives its worker a new fencing token; every write a worker makes for the task (checkpoint,
 * progress, the step's own writes through {@link TaskContext#transact}, the final state) is guarded by it. A worker
 * whose lease expired while it was stalled and whose task another worker then claimed commits nothing more: its next
 * call throws {@link LeaseLostException}. See docs/tasks.md for the guarantees and their limits.
 *
 * <p>Thread-safe. One per {@link Database} and process; it does not close the database.
 */
public final class Tasks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    final TaskStore store;
    final String workerName;
    final long leaseMillis;
    private final long heartbeatMillis;
    private final long pollMillis;
    private final int maxAttempts;
    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private final Map<String, Registration<?>> handlers = new ConcurrentHashMap<>();
    private final Set<RunningTask<?>> running = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    /** Hands this process's idle workers their tasks: one claim for all of them, one poller (see WorkerLoop). */
    private final WorkerLoop loop;
    /** Writes the successes of this process's workers in batches, off their path; created by start(). */
    private volatile Completions completions;
    private volatile boolean closing;
    private ScheduledExecutorService heartbeats;

    private record Registration<S extends Record>(Class<S> stateType, TaskHandler<S> handler) {
    }

    private Tasks(Builder b) {
        this.store = new TaskStore(b.db, TaskTables.of(b.db));
        this.workerName = b.workerName != null ? b.workerName : defaultWorkerName();
        this.leaseMillis = b.lease.toMillis();
        this.heartbeatMillis = b.heartbeat != null ? b.heartbeat.toMillis() : Math.max(1, leaseMillis / 3);
        this.pollMillis = b.poll.toMillis();
        this.maxAttempts = b.maxAttempts;
        this.backoffBaseMillis = b.backoffBase.toMillis();
        this.backoffCapMillis = b.backoffCap.toMillis();
        this.loop = new WorkerLoop(max -> store.claim(handlers.keySet(), workerName, leaseMillis, now(), max),
                pollMillis);
        if (b.createTable) {
            store.tables.create(b.db);
        }
    }

    /** {@code Tasks.builder(db).build()}: every default. Creates the table {@code holdfast_task} when it is missing. */
    public static Tasks open(Database db) {
        return builder(db).build();
    }

    /** Starts configuring durable tasks stored in {@code db}. */
    public static Builder builder(Database db) {
        return new Builder(Objects.requireNonNull(db, "db"));
    }

    // ---------------------------------------------------------------------------------------------- registering

    /**
     * Registers the handler of a task type in this process. Workers of this process claim only the types registered
     * here; submitting needs no registration.
     *
     * @param type      the task type, up to 200 characters, e.g. {@code "import"}
     * @param stateType the record a checkpoint holds, stored as JSON (primitives, String, BigDecimal, Instant, enums,
     *                  nested records and Lists of these)
     * @throws IllegalArgumentException when the state type cannot be stored, naming the component
     * @throws IllegalStateException    when the type already has a handler here
     */
    public <S extends Record> Tasks register(String type, Class<S> stateType, TaskHandler<S> handler) {
        checkType(type);
        Objects.requireNonNull(handler, "handler");
        RecordJson.check(Objects.requireNonNull(stateType, "stateType"));
        if (handlers.putIfAbsent(type, new Registration<>(stateType, handler)) != null) {
            throw new IllegalStateException("task type '" + type + "' already has a handler in this process; register "
                    + "each type once");
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------ submitting

    /**
     * Queues a new task of {@code type} starting from {@code initialState}, and returns its id. Inside a transaction
     * on this thread ({@code db.transact(tx -> tasks.submit(...))}) it joins it: the task exists if and only if that
     * transaction commits, and this process's workers look for it after that commit. Outside one, when a worker of
     * this process is idle and nothing else is known to be waiting, the task is inserted already claimed by that worker
     * ({@code RUNNING}) and starts at once, without a claim.
     */
    public TaskId submit(String type, Record initialState) {
        return submit(type, initialState, null);
    }

    /**
     * {@link #submit(String, Record)} with a unique key: while a task with this key exists (until {@link #purge}
     * deletes it), submitting again returns that task's id and queues nothing.
     *
     * <pre>{@code TaskId id = tasks.submit("import", new ImportState(0), "import:" + fileName);}</pre>
     */
    public TaskId submit(String type, Record initialState, String uniqueKey) {
        return submit(type, initialState, uniqueKey, null);
    }

    TaskId submit(String type, Record initialState, String uniqueKey, TaskId parent) {
        checkType(type);
        Objects.requireNonNull(initialState, "initialState");
        Registration<?> r = handlers.get(type);
        if (r != null && !r.stateType().isInstance(initialState)) {
            throw new IllegalArgumentException("task type '" + type + "' keeps a " + r.stateType().getName()
                    + " as its state, not a " + initialState.getClass().getName());
        }
        if (uniqueKey != null && (uniqueKey.isEmpty() || uniqueKey.length() > 200)) {
            throw new IllegalArgumentException("a unique key is 1 to 200 characters; got " + uniqueKey.length());
        }
        RecordJson.check(initialState.getClass());
        String checkpoint = RecordJson.write(initialState);
        if (r != null && parent == null && !store.db.inTransaction() && loop.reserve()) {
            // A worker here is idle and nothing is known to be waiting: insert the task claimed for it (its insert
            // commits on its own, so the worker cannot start before it is committed) and hand it over; no claim.
            TaskStore.Submitted s = null;
            try {
                s = store.submitClaimed(type, checkpoint, uniqueKey, maxAttempts, workerName, leaseMillis, now());
            } finally {
                if (s != null && s.claim() != null) {
                    if (!loop.handOver(s.claim())) {
                        releaseUnstarted(s.claim());   // closed meanwhile: queued for another process at once
                    }
                } else {
                    loop.unreserve();
                }
            }
            return s.id();
        }
        TaskId id = store.submit(type, checkpoint, uniqueKey, parent, maxAttempts, now());
        if (r != null) {
            if (store.db.inTransaction()) {
                // the task exists once that transaction commits: a claim before then would find nothing
                store.db.read(tx -> {   // inside a transaction, read(...) is that transaction: no statement
                    tx.afterCommit(loop::submitted);
                    return null;
                });
            } else {
                loop.submitted();   // an idle worker here claims it now
            }
        }
        return id;
    }

    // --------------------------------------------------------------------------------------------------- reading

    /**
     * The task as the database holds it now: one query, every call, never a cached copy.
     *
     * @throws NotFoundException when no task has this id
     */
    public TaskStatus status(TaskId id) {
        return store.status(Objects.requireNonNull(id, "id"));
    }

    /** The oldest {@code limit} tasks, all states, as the database holds them now. */
    public List<TaskStatus> list(int limit) {
        return store.list(limit);
    }

    /**
     * The task's last committed checkpoint (its initial state before the first).
     *
     * @throws NotFoundException when no task has this id
     */
    public <S extends Record> S lastCheckpoint(TaskId id, Class<S> stateType) {
        return RecordJson.read(store.checkpoint(Objects.requireNonNull(id, "id")), stateType);
    }

    // ------------------------------------------------------------------------------------ pause, resume, cancel

    /**
     * Pauses a task: a queued one at once; a running one at its next checkpoint, which commits and then throws
     * {@link TaskStoppedException} in the handler. Works from any process.
     *
     * @return false when the task is already paused, finished, or asked to stop
     * @throws NotFoundException when no task has this id
     */
    public boolean pause(TaskId id) {
        return store.pause(Objects.requireNonNull(id, "id"), now());
    }

    /**
     * Queues a paused task again: a worker resumes it from its last checkpoint. A running task asked to pause that
     * has not reached its checkpoint yet simply keeps running.
     *
     * @return false when the task is neither paused nor asked to pause
     * @throws NotFoundException when no task has this id
     */
    public boolean resume(TaskId id) {
        return store.resume(Objects.requireNonNull(id, "id"), now());
    }

    /**
     * Cancels a task: a queued or paused one at once; a running one at its next checkpoint, which commits (the steps
     * done so far stay done) and then throws {@link TaskStoppedException} in the handler.
     *
     * @return false when the task is already finished or asked to cancel
     * @throws NotFoundException when no task has this id
     */
    public boolean cancel(TaskId id) {
        return store.cancel(Objects.requireNonNull(id, "id"), now());
    }

    /** Deletes finished tasks (succeeded, failed, cancelled) last changed longer than {@code age} ago; returns how many. */
    public int purge(Duration age) {
        return store.purge(now() - age.toMillis());
    }

    // --------------------------------------------------------------------------------------------------- workers

    /**
     * Starts {@code threads} worker threads in this process; they claim tasks of the types registered here. Start as
     * many processes as you like on the same database.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized Tasks start(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("start(" + threads + "): a worker needs at least one thread");
        }
        if (closing || !workers.isEmpty()) {
            throw new IllegalStateException("these Tasks were already " + (closing ? "closed" : "started")
                    + "; start workers once per Tasks");
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "holdfast-task-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleWithFixedDelay(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        completions = new Completions(store, this::succeeded);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "holdfast-task-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        return this;
    }

    /**
     * Claims one runnable task of the types registered here and runs it to its end (or its stop) in the calling thread,
     * exactly as a worker thread would: for tests, tools, and applications that schedule work themselves.
     *
     * <pre>{@code while (tasks.runOne()) { }   // drain what is runnable now}</pre>
     *
     * @return false when no task was runnable
     */
    public boolean runOne() {
        Optional<TaskStore.Claim> claim = store.claim(handlers.keySet(), workerName, leaseMillis, now());
        claim.ifPresent(c -> run(c, false));
        return claim.isPresent();
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops claiming; running tasks are released at their next checkpoint (which commits, then throws
     * {@link TaskStoppedException} with reason SHUTDOWN) and queued for another worker at once. A handler still running
     * after {@code timeout} has its task released anyway and its thread interrupted: the fence makes that safe, since
     * its later checkpoints fail. Does not close the database.
     */
    public void close(Duration timeout) {
        List<Thread> started;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            started = List.copyOf(workers);
        }
        loop.close().forEach(this::releaseUnstarted);
        long deadline = System.nanoTime() + timeout.toNanos();
        joinAll(started, deadline);
        loop.close().forEach(this::releaseUnstarted);   // claimed by a worker that was claiming when close began
        for (RunningTask<?> t : running) {
            t.released = true;
            try {
                store.release(t.claim, now());
            } catch (RuntimeException e) {
                LOG.warn("could not release task {}; it is claimed again when its lease expires", t.claim.id(), e);
            }
            t.thread.interrupt();
        }
        joinAll(started, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        if (completions != null) {
            completions.close();   // the successes of tasks that ended before close returns are written
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    /** A waiting parent is also queued again after this long, should the wake-up by its last part be missed. */
    long partsRecheckMillis() {
        return Math.max(1_000, pollMillis * 10);
    }

    boolean closing() {
        return closing;
    }

    long now() {
        return System.currentTimeMillis();
    }

    /**
     * A worker's loop: take a task from the {@link WorkerLoop} (handed over by the idle worker that claimed a batch,
     * or claimed by this one), run it, record how it ended.
     */
    private void work() {
        while (true) {
            TaskStore.Claim next = loop.next();
            if (next == null) {
                return;
            }
            if (closing) {
                releaseUnstarted(next);
                continue;
            }
            run(next, true);
        }
    }

    private void releaseUnstarted(TaskStore.Claim claim) {
        try {
            store.releaseUnstarted(claim, now());
        } catch (RuntimeException e) {
            LOG.warn("could not release task {}; it is claimed again when its lease expires", claim.id(), e);
        }
    }

    /**
     * Runs the claimed task's handler and records how it ended. A worker thread ({@code queueSuccess}) leaves the
     * success of a task that is not a part to {@link Completions} and goes on to its next task at once.
     */
    private <S extends Record> void run(TaskStore.Claim claim, boolean queueSuccess) {
        @SuppressWarnings("unchecked")
        Registration<S> r = (Registration<S>) handlers.get(claim.type());
        RunningTask<S> task = new RunningTask<>(this, claim, r.stateType());
        running.add(task);
        boolean returned = false;
        try {
            S state = RecordJson.read(claim.checkpoint(), r.stateType());
            r.handler().run(task, state);
            returned = true;
        } catch (TaskStoppedException | LeaseLostException e) {
            LOG.debug("task {}: {}", claim.id(), e.getMessage());
        } catch (Throwable t) {
            if (!task.released) {
                failed(claim, t);
            }
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
        } finally {
            running.remove(task);
            Thread.interrupted();   // an interrupt meant for this task must not reach the next one
        }
        if (returned && !task.released) {
            if (queueSuccess && claim.parent() == null) {
                completions.add(claim);
            } else {
                succeeded(claim);
            }
        }
    }

    /**
     * The handler returned: record the success, fenced (one autocommit statement unless the task is a part). Should
     * that fail, the task is handled as a failed attempt (as a handler's exception would be): queued again to resume
     * from its last checkpoint.
     */
    private void succeeded(TaskStore.Claim claim) {
        try {
            if (!store.succeed(claim, now())) {
                lostBeforeSuccess(claim);
            }
        } catch (RuntimeException e) {
            failed(claim, e);
        }
    }

    private void lostBeforeSuccess(TaskStore.Claim claim) {
        LOG.info("task {} returned after worker {} lost it; the new holder finishes it", claim.id(), workerName);
    }

    private void failed(TaskStore.Claim claim, Throwable t) {
        boolean last = claim.attempts() >= claim.maxAttempts();
        long now = now();
        try {
            store.fail(claim, t.getClass().getName() + ": " + t.getMessage(), last, now + backoff(claim.attempts()),
                    now);
        } catch (RuntimeException e) {
            LOG.warn("could not record the failure of task {}; it is claimed again when its lease expires",
                    claim.id(), e);
        }
        LOG.info("task {} attempt {} failed{}", claim.id(), claim.attempts(), last ? " for good" : "", t);
    }

    /** Exponential, capped, with jitter: half the delay fixed, half random, so retries of many tasks spread out. */
    private long backoff(int attempt) {
        long exp = backoffBaseMillis << Math.min(30, Math.max(0, attempt - 1));
        long delay = Math.min(backoffCapMillis, exp < 0 ? backoffCapMillis : exp);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    private void heartbeat() {
        for (RunningTask<?> t : running) {
            try {
                if (!store.heartbeat(t.claim, leaseMillis, now())) {
                    LOG.info("worker {} lost task {}; its next checkpoint will fail", workerName, t.claim.id());
                }
            } catch (RuntimeException e) {
                LOG.warn("heartbeat of task {} failed", t.claim.id(), e);
            }
        }
        if (completions != null) {
            for (TaskStore.Claim c : completions.unwritten()) {   // returned, success not written yet
                try {
                    store.heartbeat(c, leaseMillis, now());
                } catch (RuntimeException e) {
                    LOG.warn("heartbeat of task {} failed", c.id(), e);
                }
            }
        }
    }

    private static void joinAll(List<Thread> threads, long deadlineNanos) {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void checkType(String type) {
        if (type == null || type.isBlank() || type.length() > 200) {
            throw new IllegalArgumentException("a task type is a name of 1 to 200 characters, like \"import\"; got "
                    + (type == null ? "null" : "'" + type + "'"));
        }
    }

    private static String defaultWorkerName() {
        String pid = ManagementFactory.getRuntimeMXBean().getName();
        return pid + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Options of {@link Tasks}; every one has a default. */
    public static final class Builder {
        private final Database db;
        private String workerName;
        private Duration lease = Duration.ofSeconds(30);
        private Duration heartbeat;
        private Duration poll = Duration.ofMillis(500);
        private int maxAttempts = 5;
        private Duration backoffBase = Duration.ofSeconds(1);
        private Duration backoffCap = Duration.ofMinutes(5);
        private boolean createTable = true;

        private Builder(Database db) {
            this.db = db;
        }

        /** The name this process's workers write into {@code holdfast_task.worker}; default pid@host plus a random suffix. */
        public Builder workerName(String name) {
            if (name == null || name.isBlank() || name.length() > 200) {
                throw new IllegalArgumentException("a worker name is 1 to 200 characters");
            }
            this.workerName = name;
            return this;
        }

        /**
         * How long a claim lasts without a heartbeat (default 30 s). Heartbeats every third of it extend it; a task
         * whose worker stops heartbeating is claimed by another worker after this long.
         */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 10) {
                throw new IllegalArgumentException("a lease of " + lease + " is too short; use 10 ms or more (default 30 s)");
            }
            this.lease = lease;
            return this;
        }

        /** For tests: how often to extend leases (default a third of the lease). A stalled JVM does not heartbeat. */
        Builder heartbeatEvery(Duration every) {
            this.heartbeat = every;
            return this;
        }

        /** How long an idle worker waits before looking for work again (default 500 ms); a submit in this process wakes it at once. */
        public Builder pollEvery(Duration poll) {
            if (poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("pollEvery needs a positive duration, got " + poll);
            }
            this.poll = poll;
            return this;
        }

        /** How many times a task may be started before a failure is final (default 5); applies to tasks submitted here. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Retry delay after a failure: {@code base * 2^(attempt-1)}, at most {@code cap}, with jitter (default 1 s, 5 min). */
        public Builder backoff(Duration base, Duration cap) {
            if (base.isNegative() || cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff(" + base + ", " + cap + "): need 0 <= base <= cap");
            }
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        /**
         * Whether {@link #build()} creates {@code holdfast_task} when it is missing (default true). Turn it off when the
         * application's database user may not create tables and the table was made beforehand (docs/tasks.md).
         */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /** Creates the table when missing and returns the tasks; workers start with {@link Tasks#start}. */
        public Tasks build() {
            return new Tasks(this);
        }
    }
}
