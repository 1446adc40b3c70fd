package dev.holdfast.tasks;

import dev.holdfast.Database;
import java.time.Duration;

/**
 * A worker process for {@link TaskCrashTest}: runs "crash" tasks with {@code threads} workers until it is killed. Each
 * step inserts its effect row in the same transaction as its checkpoint.
 *
 * <p>Arguments: url, user (or -), password (or -), threads, worker name, steps per task.
 */
public final class TaskCrashChild {
    record Steps(int next) {
    }

    private TaskCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[3]);
        String worker = args[4];
        int steps = Integer.parseInt(args[5]);
        Database db = TestDb.openInChild(args, threads + 4);
        Tasks tasks = Tasks.builder(db).workerName(worker).lease(Duration.ofSeconds(2))
                .pollEvery(Duration.ofMillis(20)).build();
        tasks.register("crash", Steps.class, (ctx, s) -> {
            while (s.next() < steps) {
                int step = s.next();
                s = ctx.transact(tx -> {
                    tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(), step,
                            worker);
                    return new Steps(step + 1);
                });
                ctx.progress(s.next(), steps, null);
            }
        });
        tasks.start(threads);
        System.out.println("started " + worker);
        Thread.sleep(Long.MAX_VALUE);   // until SIGKILL
    }
}
