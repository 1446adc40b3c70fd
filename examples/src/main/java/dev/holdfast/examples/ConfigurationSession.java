package dev.holdfast.examples;

import dev.holdfast.Database;
import dev.holdfast.draft.Draft;
import dev.holdfast.draft.Drafts;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 002, "per-session transactions": a user edits a configuration over many requests (here: raises its timeout),
 * then commits; meanwhile a colleague changes another setting of the same configuration (its retries).
 *
 * <p>Naive: the session keeps the object it loaded when it started and saves the whole object at the end, so the
 * colleague's change, committed in between, is overwritten. (The other naive answer, one database transaction held
 * for the whole session, keeps the row locked for an hour; the seed's answers rule it out.)
 *
 * <p>Safe: the session is a {@link Draft}. Its change was recorded in the database when the user made it (here:
 * in the setup, an hour before the race), and the commit merges column by column, so both changes stay.
 */
public final class ConfigurationSession {
    private ConfigurationSession() {
    }

    /** The configuration being edited. */
    @Table("s2_config")
    public record Config(@Id long id, String name, int timeoutMs, int retries, @Version long version) {
        Config withTimeoutMs(int v) {
            return new Config(id, name, v, retries, version);
        }

        Config withRetries(int v) {
            return new Config(id, name, timeoutMs, v, version);
        }
    }

    static final int SESSION_TIMEOUT = 30_000;
    static final int COLLEAGUE_RETRIES = 5;

    abstract static class Base extends SeedScenario {
        final AtomicInteger sessionCalls = new AtomicInteger();
        final AtomicInteger colleagueCalls = new AtomicInteger();
        final Set<Long> sessions = ConcurrentHashMap.newKeySet();
        final Set<Long> colleagues = ConcurrentHashMap.newKeySet();

        Base(boolean safe) {
            super("seed-002-configuration-session", safe, "a user's editing session (over many requests) raises a "
                    + "configuration's timeout and commits, while a colleague changes its retries; both must stay");
        }

        @Override
        public void setUp(Database db) {
            db.execute("create table s2_config (id bigint primary key, name varchar(40) not null, timeout_ms int "
                    + "not null, retries int not null, version bigint not null)");
            List<Config> rows = new ArrayList<>();
            for (long id = 1; id <= rows(); id++) {
                rows.add(new Config(id, "service " + id, 1_000, 3, 0));
            }
            db.useTransaction(tx -> tx.insertAll(rows));
        }

        @Override
        public List<Actor> actors() {
            return List.of(new Actor("session", db -> {
                long id = nextRow(sessionCalls);
                session(db, id);
                sessions.add(id);
            }), new Actor("colleague", db -> {
                long id = nextRow(colleagueCalls);
                colleague(db, id);
                colleagues.add(id);
            }));
        }

        abstract void session(Database db, long id);

        abstract void colleague(Database db, long id);

        @Override
        public void check(Database db) {
            for (Config c : db.query(Config.class, "select * from s2_config")) {
                if (sessions.contains(c.id()) && c.timeoutMs() != SESSION_TIMEOUT) {
                    throw new AssertionError(name() + ": the session's timeout for configuration " + c.id()
                            + " was lost (timeout_ms is " + c.timeoutMs() + ")");
                }
                if (colleagues.contains(c.id()) && c.retries() != COLLEAGUE_RETRIES) {
                    throw new AssertionError(name() + ": the colleague's retries for configuration " + c.id()
                            + " were overwritten by the session's old copy (retries is " + c.retries() + ")");
                }
            }
        }
    }

    /** The session saves the whole object it loaded when it began. */
    public static final class Naive extends Base {
        public Naive() {
            super(false);
        }

        @Override
        void session(Database db, long id) {
            Config loaded = db.get(Config.class, id);               // when the session began
            Config edited = loaded.withTimeoutMs(SESSION_TIMEOUT);  // requests later
            pause();
            db.execute("update s2_config set name = ?, timeout_ms = ?, retries = ? where id = ?", edited.name(),
                    edited.timeoutMs(), edited.retries(), id);
        }

        @Override
        void colleague(Database db, long id) {
            Config loaded = db.get(Config.class, id);
            pause();
            db.execute("update s2_config set name = ?, timeout_ms = ?, retries = ? where id = ?", loaded.name(),
                    loaded.timeoutMs(), COLLEAGUE_RETRIES, id);
        }
    }

    /** The session is a draft: recorded change by change, committed with a per-column merge. */
    public static final class Safe extends Base {
        /** Drafts recorded before the race (the user's last hour), by configuration id. */
        private final Map<Long, String> recorded = new ConcurrentHashMap<>();
        /** One Drafts per database handle: the explorer gives the actors a database of their own. */
        private final Map<Database, Drafts> drafts = new ConcurrentHashMap<>();

        public Safe() {
            super(true);
        }

        @Override
        public void setUp(Database db) {
            super.setUp(db);
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.modify(Config.class, 1L, c -> c.withTimeoutMs(SESSION_TIMEOUT));
            recorded.put(1L, draft.id());
        }

        @Override
        void session(Database db, long id) {
            Drafts on = drafts.computeIfAbsent(db, Drafts::on);
            String draftId = recorded.remove(id);
            if (draftId != null) {
                on.resume(draftId).commit();   // the race that matters: the commit against the colleague
                return;
            }
            Draft draft = on.open("alice");   // later calls: a whole session, from open to commit
            draft.modify(Config.class, id, c -> c.withTimeoutMs(SESSION_TIMEOUT));
            draft.commit();
        }

        @Override
        void colleague(Database db, long id) {
            db.modify(Config.class, id, c -> c.withRetries(COLLEAGUE_RETRIES));
        }
    }
}
