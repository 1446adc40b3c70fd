package dev.holdfast.testkit;

import dev.holdfast.Isolation;
import dev.holdfast.testdb.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs concurrent database code under controlled interleavings, against a real database, and checks every outcome.
 *
 * <p>Each actor is a lambda that runs on its own thread. Every statement it executes, and every commit and rollback,
 * is a <em>step</em>; a step waits at a gate until the scheduler lets that actor through, so the order of steps — the
 * {@link Schedule} — is chosen, not left to chance. When a step waits for a lock inside the database (asked from the
 * database itself: {@code pg_blocking_pids} on PostgreSQL, {@code SHOW ENGINE INNODB STATUS} on MariaDB; on
 * SQLite the busy timeout is 0 and SQLITE_BUSY sends the step back to the gate) the other actors go on until it is
 * released. Before every schedule the test database is emptied and the {@link Setup} runs again.
 *
 * <pre>{@code
 * Exploration result = Interleaver.on(testDatabase)
 *     .setup(db -> {
 *         db.execute("create table counter (id int primary key, n int not null)");
 *         db.execute("insert into counter values (1, 0)");
 *     })
 *     .actor("A", db -> db.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1")))
 *     .actor("B", db -> db.transact(tx -> tx.execute("update counter set n = n + 1 where id = 1")))
 *     .serializable("select n from counter")
 *     .build()
 *     .explore();
 * result.assertNoFailures();
 * }</pre>
 *
 * <p>Actors written with {@link Actor} get a {@link dev.holdfast.Database} built on the interleaver's data source
 * with the chosen {@link Builder#isolation isolation} and a retry policy without backoff: an attempt retried after a
 * deadlock or serialization failure is more steps of the same actor. Actors written with {@link JdbcActor} get the
 * {@link javax.sql.DataSource} itself.
 */
public final class Interleaver {
    final Target target;
    final Setup setup;
    final Map<String, Object> actors;          // Actor or JdbcActor, in declaration order
    final Map<String, Invariant> invariants;
    final Map<String, OutcomeInvariant> outcomeInvariants;
    final String finalStateQuery;
    final boolean serializable;
    final Isolation isolation;
    final boolean isolationSet;
    final int attempts;
    final Strategy strategy;
    final int maxSteps;
    final int maxSchedules;
    final Duration lastResort;
    final Duration javaTimeout;
    final Duration deadlockTimeout;
    final boolean keepDatabase;
    final boolean dropExistingTables;
    final boolean everyActorSucceeds;
    final boolean stopAtFirstFailure;
    final Duration timeBudget;
    final ScriptMode scriptMode;
    final boolean freshConnections;
    final boolean rerunSetup;
    /** How the last {@link #explore()} reset the state ({@link FreshState#summary()}), for tests. */
    volatile String lastStateResets;

    private Interleaver(Builder b) {
        this.target = b.target;
        this.setup = b.setup;
        this.actors = new LinkedHashMap<>(b.actors);
        this.invariants = new LinkedHashMap<>(b.invariants);
        this.outcomeInvariants = new LinkedHashMap<>(b.outcomeInvariants);
        this.finalStateQuery = b.finalStateQuery;
        this.serializable = b.serializable;
        this.isolation = b.isolation;
        this.isolationSet = b.isolationSet;
        this.attempts = b.attempts;
        this.strategy = b.strategy;
        this.maxSteps = b.maxSteps;
        this.maxSchedules = b.maxSchedules;
        this.lastResort = b.lastResort;
        this.keepDatabase = b.keepDatabase;
        this.dropExistingTables = b.dropExistingTables;
        this.javaTimeout = b.javaTimeout;
        this.deadlockTimeout = b.deadlockTimeout;
        this.everyActorSucceeds = b.everyActorSucceeds;
        this.stopAtFirstFailure = b.stopAtFirstFailure;
        this.timeBudget = b.timeBudget;
        this.scriptMode = b.scriptMode;
        this.freshConnections = b.freshConnections;
        this.rerunSetup = b.rerunSetup;
    }

    /**
     * Starts an interleaving test on a test database (from {@code @EachDatabase} or {@code TestDatabases.fresh}).
     * Everything in it is dropped before the setup runs (see {@link Builder#setup}).
     */
    public static Builder on(TestDatabase database) {
        Objects.requireNonNull(database, "database");
        return new Builder(Target.of(database));
    }

    /**
     * Starts an interleaving test on a database named by a JDBC URL. Everything in it is dropped before the setup
     * runs (see {@link Builder#setup}) — the SQLite file's tables, the PostgreSQL connection's current schema, the MariaDB database — so
     * point it at a database that exists for this test only, or say {@link Builder#keepDatabase()}. A database that
     * holds tables no interleaver created is refused with an {@link IllegalStateException} at the first run, unless
     * {@link Builder#dropExistingTables()} says they may go (an interleaver marks what it empties: a comment on the
     * PostgreSQL schema or MariaDB database, SQLite's {@code application_id}).
     */
    public static Builder on(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return new Builder(Target.of(jdbcUrl, user, password));
    }

    /**
     * Explores schedules with the configured {@link Strategy} (exhaustive unless set), each on a fresh state.
     *
     * <pre>{@code
     * Exploration e = interleaver.explore();
     * System.out.println(e.summary());
     * }</pre>
     */
    public Exploration explore() {
        long start = System.nanoTime();
        try (Harness h = harness(true)) {
            Explorer.Outcome o = new Explorer(h, List.copyOf(actors.keySet()), maxSchedules,
                    stopAtFirstFailure, timeBudget == null ? Long.MAX_VALUE : start + timeBudget.toNanos())
                    .explore(strategy);
            lastStateResets = h.stateResets();
            return new Exploration(strategy.toString(), o.runs(), o.complete(), System.nanoTime() - start,
                    o.stoppedEarly());
        }
    }

    /**
     * Runs one schedule, on a fresh state, with the oracles applied. The same schedule gives the same run every time.
     * When the schedule ends before every actor is done, the first ready actor (in declaration order) takes each
     * remaining step.
     *
     * <pre>{@code
     * Run run = interleaver.run(Schedule.parse("A B A B A B"));
     * assertThat(run.failed()).isTrue();
     * System.out.println(run.report());
     * }</pre>
     *
     * @throws IllegalArgumentException when the schedule names an actor that does not exist
     */
    public Run run(Schedule schedule) {
        checkActors(schedule, false);
        List<String> steps = schedule.actors();
        try (Harness h = harness(serializable)) {
            return h.run((ready, step) -> step < steps.size() ? steps.get(step) : ready.get(0),
                    List.copyOf(actors.keySet()), true);
        }
    }

    /**
     * Runs a schedule as a script, on a fresh state, with the oracles applied — the way PostgreSQL's isolation tester
     * and Hermitage run theirs. Unlike {@link #run}, the schedule is what each actor <em>sends</em>, in order, not
     * what must be able to go through. The same as {@link #runScript(Schedule, Schedule)} without a teardown.
     *
     * <pre>{@code
     * Run run = interleaver.runScript(Schedule.parse("T1 T2 T1 T2 T1 T2"));
     * Step t2Update = run.trace().stepsOf("T2").get(1);   // waited for T1's lock, went on after T1's commit
     * }</pre>
     *
     * @throws IllegalArgumentException when the schedule names an actor that does not exist
     */
    public Run runScript(Schedule script) {
        return runScript(script, new Schedule(List.of()));
    }

    /**
     * Runs a script and then its teardown: entries naming the actor that sends each step, the teardown's entries
     * being sent after every scripted step has finished (completed, failed, or was cancelled), as the isolation
     * tester runs a session's teardown after the permutation. What happens when an entry names an actor whose
     * statement waits on a lock depends on the {@link Builder#scriptMode script mode}:
     * <ul>
     *   <li>{@link ScriptMode#RUN_AHEAD} (the builder's default, Hermitage by hand): the entry is kept for the actor,
     *       the next entries go on, and the actor takes the kept entry as soon as its statement is released (the trace
     *       says after which step). When the script is used up and only waiting steps are left, they are cancelled
     *       (the trace shows them blocked, {@code resumedAfter} 0). The teardown is the script's tail here: it may be
     *       sent while a step waits;</li>
     *   <li>{@link ScriptMode#STRICT_ORDER} (PostgreSQL's isolation tester): the script waits until that step ends —
     *       released, failed by the database (a {@code statement_timeout}, {@code innodb_lock_wait_timeout}, a
     *       deadlock), or cancelled at the {@link Builder#lastResortTimeout last-resort timeout} — and only then sends
     *       the entry; every waiting step is waited for in the same way before the teardown starts.</li>
     * </ul>
     * In both modes an entry naming an actor that has ended (say its transaction failed and it gave up) is passed
     * over; each step is sent once (on SQLite, SQLITE_BUSY is the step's error, not a reason to send it again); an
     * entry marked {@code (*)}, as in {@code T2(*)}, counts as waiting as soon as it is sent, so the next entry does
     * not wait to see it blocked. Retries of {@link Actor}s still follow {@link Builder#attempts}; set it to 1 for a
     * script whose conflicts are outcomes.
     *
     * <pre>{@code
     * // S2 waits for S1's row lock with statement_timeout = 200ms; S1's teardown ends its transaction
     * Run run = interleaver.runScript(Schedule.parse("S1 S1 S2 S2 S2"), Schedule.parse("S1"));
     * // STRICT_ORDER: S2's update fails with 57014 (the timeout fired); RUN_AHEAD: it went on after S1's rollback
     * }</pre>
     *
     * @throws IllegalArgumentException when the script or teardown names an actor that does not exist, or an entry
     *                                  has a marker other than {@code (*)}
     */
    public Run runScript(Schedule script, Schedule teardown) {
        Objects.requireNonNull(teardown, "teardown");
        checkActors(script, true);
        checkActors(teardown, true);
        try (Harness h = harness(serializable)) {
            return h.run(new ScriptChooser(script.actors(), teardown.actors(), scriptMode),
                    List.copyOf(actors.keySet()), true, true);
        }
    }

    private void checkActors(Schedule schedule, boolean script) {
        for (String entry : schedule.actors()) {
            String a = script ? ScriptChooser.actorOf(entry) : entry;
            if (!actors.containsKey(a)) {
                throw new IllegalArgumentException("The schedule names actor '" + a + "', but the actors are "
                        + actors.keySet());
            }
        }
    }

    /** @param resetsMore whether the state will be reset more than once (a snapshot then pays for itself) */
    private Harness harness(boolean resetsMore) {
        try {
            return new Harness(this, resetsMore && !rerunSetup);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Configures an {@link Interleaver}: setup, actors, oracles, strategy and bounds.
     *
     * <pre>{@code
     * Interleaver il = Interleaver.on(tdb)
     *     .setup(db -> db.execute("create table t (id int primary key, v int)"))
     *     .actor("A", db -> ...)
     *     .jdbcActor("B", dataSource -> ...)
     *     .isolation(Isolation.REPEATABLE_READ)
     *     .invariant("v stays positive", db -> ...)
     *     .strategy(Strategy.pct(1, 3, 200))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final Target target;
        private Setup setup;
        private final Map<String, Object> actors = new LinkedHashMap<>();
        private final Map<String, Invariant> invariants = new LinkedHashMap<>();
        private final Map<String, OutcomeInvariant> outcomeInvariants = new LinkedHashMap<>();
        private String finalStateQuery;
        private boolean serializable;
        private Isolation isolation = Isolation.READ_COMMITTED;
        private boolean isolationSet;
        private int attempts = 5;
        private Strategy strategy = Strategy.exhaustive();
        private int maxSteps = 200;
        private int maxSchedules = 10_000;
        private Duration lastResort = Duration.ofSeconds(10);
        private Duration javaTimeout = Duration.ofMinutes(5);
        private Duration deadlockTimeout;
        private boolean keepDatabase;
        private boolean dropExistingTables;
        private boolean everyActorSucceeds;
        private boolean stopAtFirstFailure;
        private Duration timeBudget;
        private ScriptMode scriptMode = ScriptMode.RUN_AHEAD;
        private boolean freshConnections;
        private boolean rerunSetup;

        private Builder(Target target) {
            this.target = target;
        }

        /**
         * What every schedule starts from; runs on an emptied database, before each schedule on SQLite and once per
         * exploration on PostgreSQL and MariaDB, whose later schedules start from a restored snapshot of what it left
         * (see {@link #rerunSetup()}).
         */
        public Builder setup(Setup setup) {
            this.setup = Objects.requireNonNull(setup, "setup");
            return this;
        }

        /** Adds an actor using a {@link dev.holdfast.Database}. Names are one word: they make up schedule strings. */
        public Builder actor(String name, Actor actor) {
            return add(name, Objects.requireNonNull(actor, "actor"));
        }

        /** Adds an actor using a plain {@link javax.sql.DataSource} (raw JDBC, Hibernate, jOOQ, ...). */
        public Builder jdbcActor(String name, JdbcActor actor) {
            return add(name, Objects.requireNonNull(actor, "actor"));
        }

        /** Adds several actors at once, e.g. from a scenario catalogue, in the map's order. */
        public Builder actors(Map<String, Actor> named) {
            named.forEach(this::actor);
            return this;
        }

        private Builder add(String name, Object actor) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("An actor name must be one word (it is written in schedules), got '"
                        + name + "'");
            }
            if (actors.putIfAbsent(name, actor) != null) {
                throw new IllegalArgumentException("There is already an actor named " + name);
            }
            return this;
        }

        /** Adds a property checked after every schedule; a run fails when it throws. */
        public Builder invariant(String name, Invariant invariant) {
            invariants.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(invariant, "invariant"));
            return this;
        }

        /**
         * Adds a property of the final state <em>and</em> of how the actors ended: {@code ended} maps each actor that
         * ended with an exception — a conflict it gave up on, or its own business exception such as
         * {@code InsufficientFunds} — to that exception. An actor's exception is its outcome, not a failure of the run;
         * this is where a test says which outcomes are acceptable.
         *
         * <pre>{@code
         * .invariant("a refused withdrawal left the balance alone", (db, ended) -> {
         *     long balance = db.queryScalar(Long.class, "select balance from account where id = 1");
         *     long refused = ended.values().stream().filter(e -> e instanceof InsufficientFunds).count();
         *     if (balance != 100 - 60 * (2 - refused)) throw new AssertionError("balance " + balance);
         * })
         * }</pre>
         */
        public Builder invariant(String name, OutcomeInvariant invariant) {
            outcomeInvariants.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(invariant, "invariant"));
            return this;
        }

        /**
         * Makes a run in which any actor ended with an exception — gave up after a conflict, or threw its own — a
         * failed run. Use it where a test claims the safe version passes: without it, a run in which every actor gave
         * up leaves nothing to lose and passes. ({@link Exploration#gaveUp()} counts them either way.)
         *
         * <pre>{@code
         * Interleaver.on(tdb)...serializable("select n from counter").everyActorSucceeds().build().explore()
         *     .assertNoFailures();
         * }</pre>
         */
        public Builder everyActorSucceeds() {
            this.everyActorSucceeds = true;
            return this;
        }

        /** Ends {@link Interleaver#explore()} at the first failing run: a test that needs one counterexample. */
        public Builder stopAtFirstFailure() {
            this.stopAtFirstFailure = true;
            return this;
        }

        /**
         * Ends {@link Interleaver#explore()} once this much time has passed (checked between runs; the running schedule
         * finishes). The exploration then says it is not {@link Exploration#complete() complete}.
         */
        public Builder timeBudget(Duration budget) {
            if (budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("the time budget must be positive, got " + budget);
            }
            this.timeBudget = budget;
            return this;
        }

        /**
         * Names the query whose rows are each run's final state (part of its outcome), without judging it. Add an
         * {@code order by}: the rows are compared as text.
         */
        public Builder finalState(String query) {
            this.finalStateQuery = Objects.requireNonNull(query, "query");
            return this;
        }

        /**
         * The serializability oracle: a run fails when the rows of {@code finalStateQuery} differ from those of every
         * serial order of the actors that succeeded (computed by running each order, one actor after the other, on a
         * fresh state). No invariant needed. Up to 6 actors (720 orders).
         */
        public Builder serializable(String finalStateQuery) {
            finalState(finalStateQuery);
            this.serializable = true;
            return this;
        }

        /**
         * The isolation level of the actors' transactions. {@link Actor}s run at READ COMMITTED unless set. A
         * {@link JdbcActor}'s connections get this level only when it is set here; unless it is, they run at the
         * server's default (READ COMMITTED on PostgreSQL, REPEATABLE READ on MariaDB, SERIALIZABLE on SQLite). Either
         * kind of actor may still call {@code setTransactionIsolation} itself: that lasts until it closes the
         * connection.
         */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            this.isolationSet = true;
            return this;
        }

        /**
         * PostgreSQL only: let the database find deadlocks between actors, after this {@code deadlock_timeout} on
         * their connections. Which transaction PostgreSQL then chooses as the victim depends on timing (whose timer
         * fires first once the cycle exists), so a replay may end the other one. Unless set, the interleaver ends a
         * deadlock itself as soon as the waits form a cycle: the step that closed it fails with SQLSTATE 40P01 (a
         * {@code DeadlockException} to {@link Actor}s), the same in every replay, and {@code deadlock_timeout} is an
         * hour on the actors' connections. MariaDB and SQLite detect deadlocks at once and need neither.
         */
        public Builder deadlockTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the deadlock timeout must be positive, got " + timeout);
            }
            this.deadlockTimeout = timeout;
            return this;
        }

        /**
         * How long an actor may run its own code between two steps — Java, not a statement — before the run stops
         * as stuck; 5 minutes unless set. Separate from the {@link #lastResortTimeout last-resort timeout}, which is
         * about steps inside the database: an ORM's first unit of work may take seconds on a loaded machine.
         */
        public Builder javaTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the Java timeout must be positive, got " + timeout);
            }
            this.javaTimeout = timeout;
            return this;
        }

        /** How many attempts an {@link Actor}'s transaction gets on a conflict; 5 unless set (1: no retry). */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * How {@link Interleaver#runScript} treats an entry naming an actor whose statement waits on a lock:
         * {@link ScriptMode#RUN_AHEAD} unless set (passes it, as Hermitage by hand), or
         * {@link ScriptMode#STRICT_ORDER} (waits for it, as PostgreSQL's isolation tester). The isolation audit's
         * scripts run in strict order.
         *
         * <pre>{@code
         * Interleaver.on(tdb)...scriptMode(ScriptMode.STRICT_ORDER).build().runScript(script, teardown);
         * }</pre>
         */
        public Builder scriptMode(ScriptMode mode) {
            this.scriptMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Opens new connections for the actors in every schedule instead of keeping them across the schedules of one
         * exploration. Unless this is said, a PostgreSQL or MariaDB connection whose run went normally is reset —
         * {@code DISCARD ALL} on PostgreSQL, COM_RESET_CONNECTION on MariaDB, then the interleaver's own settings
         * again — and handed to an actor of the next schedule; one on which a step failed, was cancelled or timed out
         * is closed. SQLite's are always new. Say it when actors change what a reset does not undo (a MariaDB
         * {@code USE} of another database is undone; a server-side object such as a table outside the test
         * database is not — but a new connection would not undo that either).
         *
         * <pre>{@code
         * Interleaver.on(tdb)...freshConnections().build().explore();
         * }</pre>
         */
        public Builder freshConnections() {
            this.freshConnections = true;
            return this;
        }

        /**
         * Empties the database and runs the setup again before every schedule. Unless this is said, on PostgreSQL and
         * MariaDB the setup runs once per exploration: the rows it left in each table, and its sequences and
         * AUTO_INCREMENT counters, are kept in temporary tables of the interleaver's own connection, and before each
         * later schedule the tables and counters that changed are put back from them — unless a schedule changed the
         * schema (DDL) or the schema holds what a restore cannot put back exactly (triggers, rules, partitioned or
         * inherited tables, system-versioned tables, MariaDB sequences, foreign keys in a cycle), in which case the
         * interleaver drops and sets up for the rest of the exploration by itself. Say it when the setup does more
         * than create tables and rows in the test schema or database: changes a server setting, writes outside it, or
         * has a side effect in the JVM that every schedule needs afresh. SQLite is always set up again.
         *
         * <pre>{@code
         * Interleaver.on(tdb).setup(db -> { ...; cache.clear(); }).rerunSetup()...build().explore();
         * }</pre>
         */
        public Builder rerunSetup() {
            this.rerunSetup = true;
            return this;
        }

        /** How schedules are chosen; {@link Strategy#exhaustive()} unless set. */
        public Builder strategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** The most steps one schedule may take before it counts as a failure (a livelock); 200 unless set. */
        public Builder maxSteps(int maxSteps) {
            if (maxSteps < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
            }
            this.maxSteps = maxSteps;
            return this;
        }

        /** The most schedules one exploration runs; 10,000 unless set. */
        public Builder maxSchedules(int maxSchedules) {
            if (maxSchedules < 1) {
                throw new IllegalArgumentException("maxSchedules must be at least 1, got " + maxSchedules);
            }
            this.maxSchedules = maxSchedules;
            return this;
        }

        /**
         * How long a step may run inside the database without finishing and without the database reporting it as
         * waiting for a lock before it is treated as blocked anyway ({@link Step.Wait#TIMEOUT}, shown in the trace);
         * 10 s unless set. Only a last resort: lock waits are detected from the database. Time an actor spends in its
         * own code between statements is bounded by {@link #javaTimeout} instead.
         */
        public Builder lastResortTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the last-resort timeout must be positive, got " + timeout);
            }
            this.lastResort = timeout;
            return this;
        }

        /**
         * Keeps what is in the database: it is not emptied before each schedule, and the {@link #setup setup} alone
         * must bring what the actors use back to its starting state (drop and re-create its own tables). For a
         * database that holds other data — the isolation audit runs on the user's database this way.
         *
         * <pre>{@code
         * Interleaver.on(url, user, password).keepDatabase()
         *     .setup(db -> { db.execute("drop table if exists probe"); db.execute("create table probe (...)"); })
         * }</pre>
         */
        public Builder keepDatabase() {
            this.keepDatabase = true;
            return this;
        }

        /**
         * Lets {@link Interleaver#on(String, String, String)} drop tables it did not create: without this, a database
         * that holds any is refused. Not needed for a test database from {@code @EachDatabase}.
         */
        public Builder dropExistingTables() {
            this.dropExistingTables = true;
            return this;
        }

        /**
         * @throws IllegalStateException when there are no actors, or {@code serializable} is asked for more than 6
         */
        public Interleaver build() {
            if (actors.isEmpty()) {
                throw new IllegalStateException("An interleaver needs at least one actor; add them with actor(...)");
            }
            if (serializable && actors.size() > 6) {
                throw new IllegalStateException("serializable(...) runs every serial order of the actors: "
                        + actors.size() + " actors would be " + factorial(actors.size())
                        + " orders. Use an invariant instead, or 6 actors at most");
            }
            return new Interleaver(this);
        }

        private static long factorial(int n) {
            long f = 1;
            for (int i = 2; i <= n; i++) {
                f *= i;
            }
            return f;
        }
    }

    List<String> names() {
        return new ArrayList<>(actors.keySet());
    }
}
