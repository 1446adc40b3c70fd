package dev.holdfast.tasks;

import dev.holdfast.tasks.internal.RecordJson;

/** The context of one claim of one task: every call carries the claim's fencing token. */
final class RunningTask<S extends Record> implements TaskContext<S> {
    final TaskStore.Claim claim;
    final Thread thread;
    private final Tasks tasks;
    private final Class<S> stateType;
    /** Set when close() let go of this task after its timeout: the handler's outcome no longer matters. */
    volatile boolean released;

    RunningTask(Tasks tasks, TaskStore.Claim claim, Class<S> stateType) {
        this.tasks = tasks;
        this.claim = claim;
        this.stateType = stateType;
        this.thread = Thread.currentThread();
    }

    @Override
    public TaskId id() {
        return claim.id();
    }

    @Override
    public int attempt() {
        return claim.attempts();
    }

    @Override
    public <X extends Exception> S transact(TaskStep<S, X> step) throws X {
        TaskStore.Written[] written = new TaskStore.Written[1];
        S next = tasks.store.db.transact(tx -> {
            S s = step.apply(tx);
            if (!stateType.isInstance(s)) {
                throw new IllegalArgumentException("a step of task " + claim.id() + " (" + claim.type() + ") returned "
                        + (s == null ? "null" : "a " + s.getClass().getName()) + "; it must return the "
                        + stateType.getSimpleName() + " to checkpoint (return the unchanged state to keep it)");
            }
            TaskStore.Written w = tasks.store.checkpoint(tx, claim, RecordJson.write(s), tasks.closing(),
                    tasks.leaseMillis, tasks.now());
            if (w == TaskStore.Written.LOST) {
                throw lost("checkpoint");
            }
            written[0] = w;
            return s;
        });
        return switch (written[0]) {
            case KEPT -> next;
            case PAUSED -> throw new TaskStoppedException(claim.id(), TaskStoppedException.Reason.PAUSED);
            case CANCELLED -> throw new TaskStoppedException(claim.id(), TaskStoppedException.Reason.CANCELLED);
            case RELEASED -> throw new TaskStoppedException(claim.id(), TaskStoppedException.Reason.SHUTDOWN);
            case LOST -> throw lost("checkpoint");
        };
    }

    @Override
    public void progress(long done, long total, String message) {
        if (!tasks.store.progress(claim, done, total, message, tasks.now())) {
            throw lost("progress");
        }
    }

    @Override
    public <P extends Record> S split(String partType, java.util.List<P> parts, S next) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("split(\"" + partType + "\", ...) needs at least one part");
        }
        return transact(tx -> {
            for (P part : parts) {
                tasks.submit(partType, part, null, claim.id());   // joins this step's transaction
            }
            return next;
        });
    }

    @Override
    public Parts awaitParts() {
        long now = tasks.now();
        return tasks.store.awaitParts(claim, now + tasks.partsRecheckMillis(), now)
                .map(c -> new Parts(c.total(), c.succeeded(), c.failed(), c.cancelled()))
                .orElseThrow(() -> new TaskStoppedException(claim.id(), TaskStoppedException.Reason.WAITING));
    }

    private LeaseLostException lost(String what) {
        return new LeaseLostException("worker " + tasks.workerName + " no longer holds task " + claim.id() + " ("
                + claim.type() + ", fencing token " + claim.token() + "): its lease expired and another worker "
                + "claimed it, or it was released; this " + what + " was rolled back. Stop the handler (let this "
                + "exception propagate); the other worker resumes from the last committed checkpoint");
    }
}
