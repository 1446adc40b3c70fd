package dev.holdfast.tasks;

import dev.holdfast.Database;
import dev.holdfast.tasks.internal.TaskTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Claims "batch" tasks in batches of 1 to 8 from several threads until none is left unfinished, for
 * {@link BatchClaimTest} (which runs it in this JVM and in two child JVMs at once). Every claim is logged with its
 * fencing token in {@code claim_log}; a quarter of the claimed tasks are abandoned (their lease expires and someone
 * claims them again); the others are finished with the fenced success, logged in {@code success_log} in the same
 * transaction.
 *
 * <p>Arguments: url, user (or -), password (or -), threads, worker name, lease in ms.
 */
public final class BatchClaimChild {
    private BatchClaimChild() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[3]);
        try (Database db = TestDb.openInChild(args, threads + 2)) {
            run(db, threads, args[4], Long.parseLong(args[5]));
        }
        System.out.println("done " + args[4]);
    }

    /** Runs {@code threads} claiming threads until every task succeeded; rethrows the first failure. */
    static void run(Database db, int threads, String worker, long leaseMillis) throws Exception {
        TaskStore store = new TaskStore(db, TaskTables.of(db));
        List<Thread> all = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads; i++) {
            String name = worker + "-" + i;
            Thread t = new Thread(() -> {
                try {
                    claimUntilDone(db, store, name, leaseMillis);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, name);
            all.add(t);
            t.start();
        }
        for (Thread t : all) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError("a claiming thread failed", failure[0]);
        }
    }

    private static void claimUntilDone(Database db, TaskStore store, String worker, long leaseMillis)
            throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            TaskStore.Batch batch = store.claim(Set.of("batch"), worker, leaseMillis, System.currentTimeMillis(),
                    1 + random.nextInt(8));
            for (TaskStore.Claim c : batch.claims()) {
                db.execute("insert into claim_log (task_id, token, worker) values (?, ?, ?)", c.id().value(),
                        c.token(), worker);
            }
            for (TaskStore.Claim c : batch.claims()) {
                if (random.nextInt(4) == 0) {
                    continue;   // abandoned, as by a worker that died: claimed again once the lease expired
                }
                db.transact(tx -> {
                    if (store.succeed(c, System.currentTimeMillis())) {   // joins this transaction
                        tx.execute("insert into success_log (task_id, token, worker) values (?, ?, ?)",
                                c.id().value(), c.token(), worker);
                    }
                    return null;
                });
            }
            if (batch.locked() == 0) {
                if (db.queryScalar(Long.class, "select count(*) from holdfast_task where state <> 'SUCCEEDED'") == 0) {
                    return;
                }
                Thread.sleep(5);
            }
        }
    }
}
