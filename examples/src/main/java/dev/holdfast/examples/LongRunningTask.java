package dev.holdfast.examples;

import static dev.holdfast.record.Update.set;

import dev.holdfast.Database;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 002, "long running task": a task loads an object, computes for a while outside any transaction, then saves its
 * result. Django saves the whole object, so a rename someone made meanwhile is undone by the task's old copy. The
 * answer in the seed — {@code filter(id=...).update(result=...)} — is Holdfast's atomic update: one
 * {@code UPDATE ... SET result = ?} that touches only that column (and bumps the version, so an optimistic writer
 * holding an older snapshot is refused rather than undoing the result). No transaction is held open while the task
 * works.
 */
public final class LongRunningTask {
    private LongRunningTask() {
    }

    /** An object with a user-editable name and a computed result. */
    @Table("s2_model")
    public record Model(@Id long id, String name, String result, @Version long version) {
    }

    abstract static class Base extends SeedScenario {
        final AtomicInteger taskCalls = new AtomicInteger();
        final AtomicInteger editCalls = new AtomicInteger();
        final Set<Long> computed = ConcurrentHashMap.newKeySet();
        final Set<Long> renamed = ConcurrentHashMap.newKeySet();

        Base(boolean safe) {
            super("seed-002-long-running-task", safe, "a long task saves its result while a user renames the object; "
                    + "both must stay");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table s2_model (id bigint primary key, name varchar(40) not null, result varchar(40), "
                    + "version bigint not null)");
            List<Model> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new Model(id, "original", null, 0));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("task", db -> {
                long id = nextRow(taskCalls);
                runTask(db, id);
                computed.add(id);
            }), new Actor("rename", db -> {
                long id = nextRow(editCalls);
                rename(db, id);
                renamed.add(id);
            }));
        }

        abstract void runTask(Database db, long id);

        abstract void rename(Database db, long id);

        static String work(Model m) {
            return "result-of-" + m.id();
        }

        @Override
        public void check(Database db) {
            for (Model m : db.query(Model.class, "select * from s2_model")) {
                if (computed.contains(m.id()) && !work(m).equals(m.result())) {
                    throw new AssertionError(name() + ": the task's result for " + m.id() + " was lost (result is "
                            + m.result() + ")");
                }
                if (renamed.contains(m.id()) && !"renamed".equals(m.name())) {
                    throw new AssertionError(name() + ": the rename of " + m.id() + " was undone by the task's old "
                            + "copy (name is " + m.name() + ")");
                }
            }
        }
    }

    /** Load, work, save the whole object. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void runTask(Database db, long id) {
            Model m = db.get(Model.class, id);
            String result = work(m);
            pause();
            db.execute("update s2_model set name = ?, result = ? where id = ?", m.name(), result, id);
        }

        @Override
        void rename(Database db, long id) {
            Model m = db.get(Model.class, id);
            pause();
            db.execute("update s2_model set name = ?, result = ? where id = ?", "renamed", m.result(), id);
        }
    }

    /** Write only the column each side owns, in one statement. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void runTask(Database db, long id) {
            Model m = db.get(Model.class, id);
            String result = work(m);                    // long, outside any transaction
            db.update(Model.class, id, set(Model::result, result));
        }

        @Override
        void rename(Database db, long id) {
            db.update(Model.class, id, set(Model::name, "renamed"));
        }
    }
}
