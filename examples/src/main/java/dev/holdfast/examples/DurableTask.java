package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.tasks.TaskId;
import dev.holdfast.tasks.TaskState;
import dev.holdfast.tasks.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 000, the long operation itself: a worker thread runs a job of {@value #STEPS} steps and keeps its status in the
 * database, while a request pauses it. The naive worker loads the job into an in-memory object once and keeps saving
 * that object: it never sees the pause (its copy is stale), carries on, and its saves overwrite the pause; the request
 * saves its own stale copy of the whole row, undoing the worker's progress. The safe version is a durable task
 * ({@code holdfast-tasks}): the pause is a request in the task's row, the worker's next checkpoint — committed with the
 * step's own write — sees it and stops, and every status is read from the database.
 *
 * <p>The invariant: each job's recorded progress equals the steps whose effect is in the database (nothing lost, nothing
 * twice); and a pause acknowledged while steps remained stops the job — it ends PAUSED, with at most the one step that
 * was in flight committed after the pause.
 */
public final class DurableTask {
    /** Steps per job. */
    public static final int STEPS = 1;
    /** Jobs in the table; successive calls of an actor take successive jobs, round and round. */
    static final int JOBS = 20;
    static final String TYPE = "seed-000-job";

    private DurableTask() {
    }

    /** The safe version's task state: which job, and the next step. */
    public record Job(int job, int step) {
    }

    /** What a pause request saw: the steps already committed when the pause took effect. */
    record PauseAck(boolean accepted, long stepsBefore) {
    }

    abstract static class Base extends SeedScenario {
        final AtomicInteger workerCalls = new AtomicInteger();
        final AtomicInteger pauserCalls = new AtomicInteger();
        final Map<Integer, PauseAck> pauses = new ConcurrentHashMap<>();

        Base(boolean safe) {
            super("seed-000-durable-task", safe, "a worker thread runs a " + STEPS + "-step job and keeps its status "
                    + "in the database while a request pauses it; the pause must stop it, no step lost or done twice");
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("worker", this::work), new Actor("pause-request", db -> {
                int job = (int) (pauserCalls.getAndIncrement() % JOBS) + 1;
                // The first accepted pause of a job is the one the invariant holds the job to.
                pauses.merge(job, pause(db, job), (first, later) -> first.accepted() ? first : later);
            }));
        }

        abstract void work(Database db);

        abstract PauseAck pause(Database db, int job);

        /** Each job's progress as recorded, and whether it is paused: job -> {step, paused ? 1 : 0}. */
        abstract Map<Integer, int[]> recorded(Database db, java.util.Set<Integer> withEffects);

        @Override
        public void check(Database db) {
            Map<Integer, Long> effects = new java.util.HashMap<>();
            db.query(rs -> effects.put(rs.getInt(1), rs.getLong(2)), "select job, count(*) from s0_task_effect "
                    + "group by job");
            Map<Integer, int[]> jobs = recorded(db, effects.keySet());
            List<String> duplicated = db.query(rs -> rs.getInt(1) + "/" + rs.getInt(2), "select job, step from "
                    + "s0_task_effect group by job, step having count(*) > 1");
            if (!duplicated.isEmpty()) {
                throw new AssertionError(name() + ": steps done twice (job/step): " + duplicated);
            }
            for (var e : jobs.entrySet()) {
                long done = effects.getOrDefault(e.getKey(), 0L);
                if (done != e.getValue()[0]) {
                    throw new AssertionError(name() + ": job " + e.getKey() + " records " + e.getValue()[0]
                            + " steps done but " + done + " steps' effects are in the database (a stale copy "
                            + "overwrote its progress)");
                }
            }
            for (var p : pauses.entrySet()) {
                PauseAck ack = p.getValue();
                if (!ack.accepted() || ack.stepsBefore() >= STEPS) {
                    continue;
                }
                int job = p.getKey();
                long done = effects.getOrDefault(job, 0L);
                if (jobs.get(job)[1] == 0) {
                    throw new AssertionError(name() + ": job " + job + " was paused with " + ack.stepsBefore()
                            + " of " + STEPS + " steps done, but it is not paused (the worker's stale copy never saw "
                            + "the pause, or overwrote it)");
                }
                if (done > ack.stepsBefore() + 1) {
                    throw new AssertionError(name() + ": job " + job + " was paused after " + ack.stepsBefore()
                            + " steps, but " + done + " steps ran (the worker did not stop)");
                }
            }
        }
    }

    /** The worker keeps one in-memory copy of the job; the request saves its own copy of the whole row. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table s0_job (id int primary key, step int not null, status varchar(10) not null)");
            db.execute("create table s0_task_effect (job int not null, step int not null)");
            db.useTransaction(tx -> {
                for (int id = 1; id <= JOBS; id++) {
                    tx.execute("insert into s0_job (id, step, status) values (?, 0, 'QUEUED')", id);
                }
            });
        }

        /** The seed's object: a copy of the row, made once. */
        record JobRow(int id, int step, String status) {
        }

        @Override
        void work(Database db) {
            int id = (int) (workerCalls.getAndIncrement() % JOBS) + 1;
            JobRow job = db.queryOne(rs -> new JobRow(rs.getInt(1), rs.getInt(2), rs.getString(3)),
                    "select id, step, status from s0_job where id = ?", id).orElseThrow();
            pause();
            for (int step = job.step(); step < STEPS && !job.status().equals("PAUSED"); step++) {
                int s = step;
                db.useTransaction(tx -> {
                    tx.execute("insert into s0_task_effect (job, step) values (?, ?)", id, s);
                    tx.execute("update s0_job set step = ?, status = 'RUNNING' where id = ?", s + 1, id);
                });
                job = new JobRow(id, s + 1, "RUNNING");   // "the ORM maps the database into memory": it does not
            }
            db.execute("update s0_job set step = ?, status = 'END' where id = ?", job.step(), id);
        }

        @Override
        PauseAck pause(Database db, int id) {
            JobRow job = db.queryOne(rs -> new JobRow(rs.getInt(1), rs.getInt(2), rs.getString(3)),
                    "select id, step, status from s0_job where id = ?", id).orElseThrow();
            pause();
            db.execute("update s0_job set step = ?, status = 'PAUSED' where id = ?", job.step(), id);
            // The request tells the user what its object says: paused at the step it read.
            return new PauseAck(true, job.step());
        }

        @Override
        Map<Integer, int[]> recorded(Database db, java.util.Set<Integer> withEffects) {
            Map<Integer, int[]> m = new java.util.HashMap<>();
            db.query(rs -> m.put(rs.getInt(1), new int[]{rs.getInt(2), rs.getString(3).equals("PAUSED") ? 1 : 0}),
                    "select id, step, status from s0_job");
            return m;
        }
    }

    /** A durable task: checkpoints commit with the step's write, the pause is a request the next checkpoint obeys. */
    public static final class Safe extends Base {
        private final List<TaskId> ids = new ArrayList<>();

        public Safe() {
            super(true);
        }

        @Override
        public void setUp(Database db) {
            Tasks tasks = Tasks.open(db);   // creates holdfast_task
            db.execute("create table s0_task_effect (job int not null, step int not null)");
            List<TaskId> made = db.transact(tx -> {
                List<TaskId> all = new ArrayList<>();
                for (int job = 1; job <= JOBS; job++) {
                    all.add(tasks.submit(TYPE, new Job(job, 0)));   // joins this transaction: one commit
                }
                return all;
            });
            ids.clear();
            ids.addAll(made);
        }

        /** A worker of this process, bound to the database the actor was given. */
        static Tasks tasks(Database db) {
            Tasks tasks = Tasks.builder(db).createTable(false).build();
            tasks.register(TYPE, Job.class, (ctx, job) -> {
                while (job.step() < STEPS) {
                    Job now = job;
                    job = ctx.transact(tx -> {
                        tx.execute("insert into s0_task_effect (job, step) values (?, ?)", now.job(), now.step());
                        return new Job(now.job(), now.step() + 1);
                    });
                }
            });
            return tasks;
        }

        @Override
        void work(Database db) {
            tasks(db).runOne();
        }

        @Override
        PauseAck pause(Database db, int job) {
            Tasks tasks = tasks(db);
            return db.transact(tx -> {
                // Counted after the pause took effect, in its transaction: a checkpoint that committed before is
                // counted; one that commits after sees the request and stops the task.
                boolean accepted = tasks.pause(ids.get(job - 1));
                return new PauseAck(accepted, accepted ? tx.queryScalar(Long.class,
                        "select count(*) from s0_task_effect where job = ?", job) : 0);
            });
        }

        @Override
        Map<Integer, int[]> recorded(Database db, java.util.Set<Integer> withEffects) {
            Tasks tasks = Tasks.builder(db).createTable(false).build();
            Map<TaskId, TaskState> states = new java.util.HashMap<>();
            tasks.list(JOBS).forEach(s -> states.put(s.id(), s.state()));
            Map<Integer, int[]> m = new java.util.HashMap<>();
            for (int job = 1; job <= JOBS; job++) {
                TaskId id = ids.get(job - 1);
                TaskState state = states.get(id);
                // A task never started and without effects has its initial checkpoint; read the others'.
                int step = state == TaskState.QUEUED && !withEffects.contains(job) ? 0
                        : tasks.lastCheckpoint(id, Job.class).step();
                m.put(job, new int[]{step, state == TaskState.PAUSED ? 1 : 0});
            }
            return m;
        }
    }
}
