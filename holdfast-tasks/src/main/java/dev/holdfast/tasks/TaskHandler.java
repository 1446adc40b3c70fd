package dev.holdfast.tasks;

/**
 * The code of a task type, registered with {@link Tasks#register}. A worker calls it with the task's last checkpointed
 * state: the initial state on the first run, the state of the last committed checkpoint after a crash, a retry or a
 * resume. It loops: do a step, checkpoint, report progress; returning means the task succeeded, throwing means this
 * attempt failed (it is retried from the last checkpoint, up to the attempt limit).
 *
 * <pre>{@code
 * tasks.register("import", ImportState.class, (ctx, state) -> {
 *     for (int row = state.nextRow(); row < 1_000; row++) {
 *         int r = row;
 *         state = ctx.transact(tx -> {                        // the step's writes and its checkpoint commit together
 *             tx.execute("insert into imported(row_no) values (?)", r);
 *             return new ImportState(r + 1);
 *         });
 *         ctx.progress(r + 1, 1_000, "rows");
 *     }
 * });
 * }</pre>
 *
 * <p>Let {@link TaskStoppedException} and {@link LeaseLostException} propagate: they are how a checkpoint tells the
 * handler to stop (pause, cancel, shutdown) or that another worker now owns the task.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface TaskHandler<S extends Record> {
    /** Runs (or resumes) the task from {@code state}. */
    void run(TaskContext<S> ctx, S state) throws Exception;
}
