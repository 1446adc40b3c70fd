package dev.holdfast.examples;

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
 * Seed 000, "ORMs and threads": a request loads a user and starts a worker thread that loads its own copy, works a
 * while and saves {@code status = END}. Meanwhile the request (or another one) changes something else on its older
 * copy — here it pauses the job — and saves the whole row: the worker's END is overwritten, or the worker's save
 * overwrites the pause. A loaded row is a snapshot, not a live view ("refresh" by reassigning {@code self} changes
 * nothing). Holdfast makes that explicit: records are immutable snapshots, {@code db.reload(user)} gives a new one, and
 * each writer uses {@code modify}, which changes only its own column of the row as it is now.
 */
public final class ThreadUpdatesStatus {
    private ThreadUpdatesStatus() {
    }

    /** A job's status as the worker reports it. */
    public enum Status { START, END }

    /** A user with a job status and a pause flag. */
    @Table("s0_user")
    public record User(@Id long id, Status status, boolean paused, @Version long version) {
        User withStatus(Status s) {
            return new User(id, s, paused, version);
        }

        User withPaused(boolean p) {
            return new User(id, status, p, version);
        }
    }

    abstract static class Base extends SeedScenario {
        final AtomicInteger workerCalls = new AtomicInteger();
        final AtomicInteger pauserCalls = new AtomicInteger();
        final Set<Long> ended = ConcurrentHashMap.newKeySet();
        final Set<Long> paused = ConcurrentHashMap.newKeySet();

        Base(boolean safe) {
            super("seed-000-thread-updates-status", safe, "a worker thread saves status=END while a request pauses the "
                    + "same user; both writes must stay");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table s0_user (id bigint primary key, status varchar(10) not null, "
                    + "paused boolean not null, version bigint not null)");
            List<User> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new User(id, Status.START, false, 0));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("worker", db -> {
                long id = nextRow(workerCalls);
                finish(db, id);
                ended.add(id);
            }), new Actor("pause-request", db -> {
                long id = nextRow(pauserCalls);
                pauseJob(db, id);
                paused.add(id);
            }));
        }

        abstract void finish(Database db, long id);

        abstract void pauseJob(Database db, long id);

        @Override
        public void check(Database db) {
            for (User u : db.query(User.class, "select * from s0_user")) {
                if (ended.contains(u.id()) && u.status() != Status.END) {
                    throw new AssertionError(name() + ": the worker saved END for user " + u.id() + " but it is "
                            + u.status() + " (overwritten by a stale copy)");
                }
                if (paused.contains(u.id()) && !u.paused()) {
                    throw new AssertionError(name() + ": user " + u.id() + " was paused but is not (overwritten by "
                            + "the worker's stale copy)");
                }
            }
        }
    }

    /** Each side loads its copy, changes one field, saves the whole row. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void finish(Database db, long id) {
            User user = db.get(User.class, id);
            pause();                                   // "do things that take a while"
            save(db, user.withStatus(Status.END));
        }

        @Override
        void pauseJob(Database db, long id) {
            User user = db.get(User.class, id);
            pause();
            save(db, user.withPaused(true));
        }

        private static void save(Database db, User u) {
            db.execute("update s0_user set status = ?, paused = ? where id = ?", u.status(), u.paused(), u.id());
        }
    }

    /** Each side changes only its column of the current row. */
    public static final class Safe extends Base {
        public Safe() {
            super(true);
        }

        @Override
        void finish(Database db, long id) {
            User user = db.get(User.class, id);
            // ... work with the snapshot; then write the result against the row as it is now:
            db.modify(User.class, user.id(), u -> u.withStatus(Status.END));
        }

        @Override
        void pauseJob(Database db, long id) {
            db.modify(User.class, id, u -> u.withPaused(true));
        }
    }
}
