package dev.holdfast.tasks;

/**
 * What a {@link TaskHandler} uses to report to the database while it runs. Every call checks the worker's fencing
 * token: once another worker has claimed the task (because this one's lease expired), every call throws
 * {@link LeaseLostException} and commits nothing.
 *
 * @param <S> the state record
 */
public interface TaskContext<S extends Record> {
    /** The task being run. */
    TaskId id();

    /** 1 on the first run, 2 on the first retry or resume after a lost worker, and so on. */
    int attempt();

    /**
     * Runs {@code step} in one transaction together with the checkpoint of the state it returns: the step's writes and
     * the checkpoint commit together or not at all, so after a crash the task resumes exactly after the last step
     * whose writes committed, and no step's writes are applied twice.
     *
     * <pre>{@code
     * state = ctx.transact(tx -> {
     *     tx.execute("update account set balance = balance + ? where id = ?", 10, state.account());
     *     return state.withNext();
     * });
     * }</pre>
     *
     * <p>Call it from the handler's thread, not inside a transaction of your own: it must be the outermost transaction
     * so that "committed" means committed.
     *
     * @return the state it checkpointed
     * @throws LeaseLostException   when another worker holds the task now; nothing was committed
     * @throws TaskStoppedException after the commit, when {@link Tasks#pause}, {@link Tasks#cancel} or a shutdown asked
     *                              the task to stop: the step and its checkpoint are committed, the task is PAUSED,
     *                              CANCELLED or (shutdown) QUEUED for another worker; let it propagate
     */
    <X extends Exception> S transact(TaskStep<S, X> step) throws X;

    /** {@link #transact} for a step with no writes of its own: commits {@code state} as the checkpoint. */
    default S checkpoint(S state) {
        return transact(tx -> state);
    }

    /**
     * Records progress ({@code done} of {@code total}, 0 when unknown) and a short message, shown by
     * {@link Tasks#status} and {@code holdfast tasks}. Commits at once, or with the surrounding
     * {@link #transact} step when called inside one on the same thread.
     *
     * @throws LeaseLostException when another worker holds the task now
     */
    void progress(long done, long total, String message);

    /**
     * Splits the work into parts that any worker, in any process, runs concurrently: submits one task of
     * {@code partType} per state in {@code parts}, with this task as their parent, and checkpoints {@code next}, all in
     * one transaction, so the parts are created exactly once however often this task is resumed. Then call
     * {@link #awaitParts}. The parent's progress counts finished parts.
     *
     * <pre>{@code
     * tasks.register("resize-all", Album.class, (ctx, album) -> {
     *     if (!album.split()) {
     *         album = ctx.split("resize", album.photoIds().stream().map(Photo::new).toList(), album.withSplit(true));
     *     }
     *     Parts parts = ctx.awaitParts();   // returns once every part is finished; until then the task WAITs
     *     if (parts.failed() > 0) throw new IllegalStateException(parts.failed() + " photos failed");
     * });
     * }</pre>
     *
     * @return {@code next}
     */
    <P extends Record> S split(String partType, java.util.List<P> parts, S next);

    /**
     * Returns how the parts ended once every part of this task is finished (succeeded, failed or cancelled). While
     * some are not, it sets this task's progress to the finished count, moves it to {@link TaskState#WAITING} (no
     * worker thread is held) and throws {@link TaskStoppedException} with reason WAITING; let it propagate. The last
     * part to finish queues the task again, and the handler runs again from its last checkpoint, calling
     * {@code awaitParts()} again.
     */
    Parts awaitParts();
}
