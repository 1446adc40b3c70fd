package dev.holdfast;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.error.BusyException;
import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.internal.Boundary;
import dev.holdfast.internal.ConnectionFailures;
import dev.holdfast.internal.Engine;
import dev.holdfast.internal.Parameters;
import dev.holdfast.internal.PooledEngine;
import dev.holdfast.internal.RetryLoop;
import dev.holdfast.internal.RowMapper;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.Sessions;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.MariaDbDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import dev.holdfast.internal.dialect.Urls;
import dev.holdfast.internal.record.RecordSelect;
import dev.holdfast.internal.record.RecordWrites;
import dev.holdfast.internal.replica.ReplicaRouter;
import dev.holdfast.internal.sqlite.SqliteEngine;
import dev.holdfast.internal.sqlite.SqliteFiles;
import dev.holdfast.internal.sqlite.SqliteWriter;
import dev.holdfast.record.Condition;
import dev.holdfast.record.Update;
import dev.holdfast.replica.CausalToken;
import dev.holdfast.replica.ReadOptions;
import dev.holdfast.replica.ReplicaReads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database: SQLite, PostgreSQL or MariaDB/MySQL, reached through a pool of connections. Thread-safe; make one per
 * database and share it.
 *
 * <pre>{@code
 * try (Database db = Database.open("jdbc:sqlite:app.db")) {
 *     db.execute("create table if not exists counter(id int primary key, n int not null)");
 *     db.transact(tx -> tx.execute("update counter set n = n + 1 where id = ?", 1));
 *     long n = db.queryScalar(Long.class, "select n from counter where id = ?", 1);
 * }
 * }</pre>
 *
 * <p>{@link #transact} runs its body in a transaction and commits it; when the database reports a conflict
 * (serialization failure, deadlock, lock timeout, SQLite busy) the whole body runs again from the start, after a
 * backoff, up to the {@link Retry} policy's limit. Side effects belong in {@link Transaction#afterCommit(Runnable)}.
 *
 * <p>Calling {@code transact} or {@code read} again while a transaction of this database is running on the same thread
 * joins that transaction (a nested {@code transact} becomes a savepoint) instead of opening a second connection that
 * could deadlock with the first.
 *
 * <p>On SQLite ({@code jdbc:sqlite:} URLs) every write transaction is run by one writer thread that commits many at
 * once (group commit), and reads use a small pool of read-only connections; see {@code docs/sqlite.md} and
 * {@link Builder#multiProcess(boolean)}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String url;
    private final Dialect dialect;
    private final Engine engine;
    private final Isolation isolation;
    private final Retry retry;
    private final Duration timeout;
    private final StatementListener[] listeners;
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();
    private final Sessions sessions = new EngineSessions();
    private volatile boolean closed;
    private final java.util.concurrent.ConcurrentMap<Object, Object> recordMemo =
            new java.util.concurrent.ConcurrentHashMap<>();
    private ReplicaRouter router; // set once by the builder; null when there is nothing to route (docs/replicas.md)

    private Database(Builder b, Dialect dialect, Engine engine) {
        this.url = b.url;
        this.dialect = dialect;
        this.engine = engine;
        this.isolation = b.isolation != null ? b.isolation : Isolation.ofJdbc(dialect.defaultIsolationLevel());
        this.retry = b.retry;
        this.timeout = b.timeout;
        this.listeners = b.listeners.toArray(new StatementListener[0]);
    }

    /** Opens a database with every default: {@code Database.builder(url).build()}. */
    public static Database open(String jdbcUrl) {
        return builder(jdbcUrl).build();
    }

    /**
     * Starts configuring a database reached by a JDBC URL ({@code jdbc:sqlite:}, {@code jdbc:postgresql:},
     * {@code jdbc:mariadb:} or {@code jdbc:mysql:}). Its driver must be on the class path.
     */
    public static Builder builder(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return new Builder(jdbcUrl, null);
    }

    /**
     * Starts configuring a database on a {@link DataSource} you manage (your own pool, or a test kit's instrumented
     * one). Holdfast borrows a connection per transaction and never closes the data source.
     */
    public static Builder builder(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new Builder(null, dataSource);
    }

    // ------------------------------------------------------------------------------------------------ transactions

    /**
     * Runs {@code body} in a read-write transaction and commits it, retrying the whole body on a conflict.
     *
     * <pre>{@code
     * int moved = db.transact(tx -> {
     *     tx.execute("update account set balance = balance - ? where id = ?", 10, from);
     *     return tx.execute("update account set balance = balance + ? where id = ?", 10, to);
     * });
     * }</pre>
     *
     * @return what {@code body} returned in the attempt that committed
     */
    public <R, X extends Exception> R transact(TransactionCallback<R, X> body) throws X {
        return transact(TransactionOptions.defaults(), body);
    }

    /** {@link #transact(TransactionCallback)} with options for this transaction. */
    public <R, X extends Exception> R transact(TransactionOptions options, TransactionCallback<R, X> body) throws X {
        Transaction outer = current.get();
        if (outer != null) {
            if (outer.isReadOnly()) {
                throw new HoldfastException("db.transact(...) was called inside db.read(...) on the same thread; a "
                        + "read-only transaction cannot write. Make the outer call db.transact(...)");
            }
            return outer.savepoint(body);
        }
        return run(options, false, false, body);
    }

    /**
     * Queues {@code body} as a write transaction on the SQLite writer and returns without waiting for it: for producers
     * that fire many writes and collect the results later, so that the writer can commit them in large groups.
     *
     * <pre>{@code
     * List<CompletableFuture<Integer>> done = new ArrayList<>();
     * for (Event e : events) {
     *     done.add(db.transactAsync(tx -> tx.execute("insert into event(id, body) values (?, ?)", e.id(), e.body())));
     * }
     * CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();   // every event is committed
     * }</pre>
     *
     * <p>The future completes after the COMMIT that covers the transaction, with what the body returned, or
     * exceptionally with what it threw (the same exception object, not wrapped in the future itself). After-commit
     * actions and the callbacks chained onto the future run on one Holdfast thread for async completions, never on the
     * writer thread; keep them short. When the queue is full this call waits for room, up to the timeout (30 s when
     * none is set), then throws {@link TransactionTimeoutException}.
     *
     * @throws UnsupportedOperationException on PostgreSQL and MariaDB, and on SQLite in {@link Builder#multiProcess}
     *         mode: there is no writer to queue on; use {@code CompletableFuture.supplyAsync(() -> db.transact(body),
     *         yourExecutor)}
     */
    public <R> CompletableFuture<R> transactAsync(TransactionCallback<R, ?> body) {
        return transactAsync(TransactionOptions.defaults(), body);
    }

    /** {@link #transactAsync(TransactionCallback)} with options for this transaction. */
    public <R> CompletableFuture<R> transactAsync(TransactionOptions options, TransactionCallback<R, ?> body) {
        Objects.requireNonNull(body, "body");
        if (!(engine instanceof SqliteEngine sqlite)) {
            throw new UnsupportedOperationException("transactAsync(...) queues on the SQLite writer; " + this
                    + " has none (PostgreSQL, MariaDB, SQLite in multiProcess mode or on your own DataSource). Use "
                    + "CompletableFuture.supplyAsync(() -> db.transact(body), yourExecutor) instead");
        }
        if (closed) {
            throw closedError(null);
        }
        if (current.get() != null) {
            throw new HoldfastException("transactAsync(...) was called inside a transaction on the same thread; the "
                    + "queued transaction would not be part of it (and, on the writer thread, would wait for it). Use "
                    + "db.transact(...) or tx.savepoint(...) to run it inside, or call transactAsync afterwards");
        }
        Isolation level = options.isolation() != null ? options.isolation() : isolation;
        Retry policy = options.retry() != null ? options.retry() : retry;
        Duration limit = options.timeout() != null ? options.timeout() : timeout;
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        return sqlite.submit(sessions, jdbcLevel(level), policy.maxAttempts(), deadline,
                s -> body.apply(Transaction.of(s))).thenApply(outcome -> {
            runAfterCommit(outcome.afterCommit());
            return outcome.value();
        });
    }

    /** {@link #transact(TransactionCallback)} for a body that returns nothing. */
    public <X extends Exception> void useTransaction(TransactionConsumer<X> body) throws X {
        useTransaction(TransactionOptions.defaults(), body);
    }

    /** {@link #useTransaction(TransactionConsumer)} with options for this transaction. */
    public <X extends Exception> void useTransaction(TransactionOptions options, TransactionConsumer<X> body) throws X {
        transact(options, tx -> {
            body.accept(tx);
            return null;
        });
    }

    /**
     * Runs {@code body} as a read-only unit: statements that write are refused. At READ COMMITTED on PostgreSQL and
     * MariaDB each statement runs on its own (each sees the latest committed data, which is what READ COMMITTED
     * means inside a transaction too); at REPEATABLE READ or SERIALIZABLE, and always on SQLite, it is a real read-only
     * transaction with one consistent snapshot.
     */
    public <R, X extends Exception> R read(TransactionCallback<R, X> body) throws X {
        return read(TransactionOptions.defaults(), body);
    }

    /** {@link #read(TransactionCallback)} with options. */
    public <R, X extends Exception> R read(TransactionOptions options, TransactionCallback<R, X> body) throws X {
        Transaction outer = current.get();
        if (outer != null) {
            return body.apply(outer);
        }
        if (router != null && router.routes()) {
            return router.read(ReadOptions.defaults().transaction(options), body, o -> run(o, true, false, body));
        }
        return run(options, true, false, body);
    }

    /**
     * {@link #read(TransactionCallback)} on a replica that has replayed what {@code options} asks for (see
     * {@link Builder#replica(String)}); without replicas, on the primary. Inside a transaction on this thread it joins
     * that transaction.
     *
     * <pre>{@code
     * CausalToken seen = CausalToken.parse(request.cookie("hf-causal"));
     * Profile p = db.read(ReadOptions.after(seen), tx -> tx.get(Profile.class, id));
     * }</pre>
     */
    public <R, X extends Exception> R read(ReadOptions options, TransactionCallback<R, X> body) throws X {
        Objects.requireNonNull(options, "options");
        Transaction outer = current.get();
        if (outer != null) {
            return body.apply(outer);
        }
        if (router != null) {
            return router.read(options, body, o -> run(o, true, false, body));
        }
        return run(options.transaction(), true, false, body);
    }

    /**
     * A position covering every write this Database has committed, to carry to later reads in other requests or
     * processes ({@link ReadOptions#after}); its text form goes in a cookie or header. {@link CausalToken#none()} on
     * SQLite and on MariaDB servers that are not Galera nodes, whose reads always go to the one server.
     */
    public CausalToken lastCommit() {
        return router == null ? CausalToken.none() : router.lastCommit();
    }

    /** Where routed reads were served so far; all zero without replicas. */
    public ReplicaReads replicaReads() {
        return router == null ? new ReplicaReads(0, 0, 0, 0) : router.reads();
    }

    /**
     * Whether the calling thread is inside {@link #transact} or {@link #read} of this database, so that a statement
     * run now through it ({@link #execute}, {@link #query}...) joins that unit and commits only with it. For libraries
     * built on Holdfast that act differently when their write is not committed yet, e.g. a task queue that may hand
     * a task it inserted to a worker at once only when the insert commits on its own.
     *
     * <pre>{@code boolean joins = db.inTransaction();}</pre>
     */
    public boolean inTransaction() {
        return current.get() != null;
    }

    // ------------------------------------------------------------------------------------------- single statements

    /**
     * Runs one writing statement on its own (autocommit: one round trip), retried on a conflict. Inside a
     * transaction on this thread it joins that transaction.
     *
     * @return the number of rows changed
     */
    public int execute(String sql, Object... args) {
        return single(false, tx -> tx.execute(sql, args));
    }

    /**
     * Runs one writing statement that returns rows ({@code INSERT/UPDATE/DELETE ... RETURNING} on PostgreSQL and
     * SQLite) on its own: autocommit, one round trip, retried on a conflict. Inside a transaction on this thread it
     * joins that transaction. Unlike {@link #query}, it never goes to a replica and is refused inside
     * {@link #read}.
     *
     * <pre>{@code
     * List<Long> ids = db.executeReturning(rs -> rs.getLong(1),
     *         "update job set owner = ? where owner is null and due <= ? returning id", me, now);
     * }</pre>
     *
     * @return the mapped rows
     */
    public <T> List<T> executeReturning(RowMapper<T> mapper, String sql, Object... args) {
        return single(false, tx -> tx.queryWriting(sql, Parameters.orNone(args), mapper));
    }

    /** Runs one query on its own; see {@link Transaction#query}. */
    public <T> List<T> query(RowMapper<T> mapper, String sql, Object... args) {
        return single(true, tx -> tx.query(mapper, sql, args));
    }

    /** Runs one query that returns at most one row; see {@link Transaction#queryOne}. */
    public <T> Optional<T> queryOne(RowMapper<T> mapper, String sql, Object... args) {
        return single(true, tx -> tx.queryOne(mapper, sql, args));
    }

    /** Runs one query that returns a single value; see {@link Transaction#queryScalar}. */
    public <T> T queryScalar(Class<T> type, String sql, Object... args) {
        return single(true, tx -> tx.queryScalar(type, sql, args));
    }

    private <R> R single(boolean readOnly, TransactionCallback<R, RuntimeException> body) {
        Transaction outer = current.get();
        if (outer != null) {
            return body.apply(outer);
        }
        if (readOnly && router != null && router.routes()) {
            return router.read(ReadOptions.defaults(), body, o -> run(o, true, true, body));
        }
        return run(TransactionOptions.defaults(), readOnly, true, body);
    }

    /** The URL this database was opened with, password removed. */
    public String url() {
        return Urls.redact(url);
    }

    /**
     * Closes the pool this database created. A data source passed to {@link #builder(DataSource)} stays open. On
     * SQLite, the writer first stops accepting transactions, runs and commits every one already queued, and only then
     * closes; a transaction submitted after that fails with a {@link HoldfastException} saying the database is closed.
     */
    @Override
    public void close() {
        closed = true;
        if (router != null) {
            router.close();
        }
        engine.close();
    }

    /** What every call after {@link #close()} throws: the pool behind it is an internal the caller never chose. */
    private HoldfastException closedError(Throwable cause) {
        return new HoldfastException("This Database is closed: " + this + " was closed, so nothing of this call was "
                + "run. Open a new Database to go on", cause);
    }

    @Override
    public String toString() {
        return "Database[" + dialect.name() + " " + url() + "]";
    }

    /** Record types checked against this database's tables; see {@code internal.record.TableShape}. */
    java.util.concurrent.ConcurrentMap<Object, Object> recordMemo() {
        return recordMemo;
    }

    // ----------------------------------------------------------------------------------------------- the loop

    private <R, X extends Exception> R run(TransactionOptions options, boolean readOnly, boolean singleStatement,
                                           TransactionCallback<R, X> body) throws X {
        if (closed) {
            throw closedError(null);
        }
        Isolation level = options.isolation() != null ? options.isolation() : isolation;
        Retry policy = options.retry() != null ? options.retry() : retry;
        Duration limit = options.timeout() != null ? options.timeout() : timeout;
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        Engine.Outcome<R> outcome;
        try {
            outcome = RetryLoop.run(policy.maxAttempts(), policy::delayAfter, deadline, attempt -> engine.run(sessions,
                    new Engine.Attempt(jdbcLevel(level), readOnly, singleStatement, attempt, deadline),
                    s -> body.apply(Transaction.of(s))));
        } catch (Exception e) {
            throw Database.<X>sneaky(e);
        }
        if (!readOnly && router != null && router.routes()) {
            router.committed();
        }
        runAfterCommit(outcome.afterCommit());
        return outcome.value();
    }

    private static void runAfterCommit(List<Runnable> actions) {
        RuntimeException failure = null;
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new HoldfastException("The transaction committed, but an afterCommit action failed: "
                            + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Exception> X sneaky(Exception e) throws X {
        throw (X) e;
    }

    // ------------------------------------------------------------------------------------------- engine support

    Dialect dialect() {
        return dialect;
    }

    void enter(Transaction tx) {
        current.set(tx);
    }

    void exit(Transaction tx) {
        if (current.get() == tx) {
            current.set(null);   // not remove(): the next set() would allocate the thread's map entry again
        }
    }

    /** Borrows a connection, turning a failure into a message that names the URL and the likely fix. */
    Connection connect(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            if (closed) {
                throw closedError(e);   // closed while this call was on its way to the pool
            }
            if (dialect.isConnectionLost(e) || dialect.connectionHint(e) != null) {
                throw connectionFailed(url, dialect, e);
            }
            throw dialect.translate(e, null);
        }
    }

    boolean listening() {
        return listeners.length > 0;
    }

    void fireBefore(SqlStatement statement) {
        for (StatementListener l : listeners) {
            l.beforeStatement(statement);
        }
    }

    void fireAfter(SqlStatement statement, long startNanos, long rows, HoldfastException error) {
        if (statement == null) {
            return;
        }
        StatementOutcome outcome = new StatementOutcome(statement, Duration.ofNanos(System.nanoTime() - startNanos),
                rows, error);
        for (StatementListener l : listeners) {
            try {
                l.afterStatement(outcome);
            } catch (RuntimeException e) {
                LOG.warn("A StatementListener failed in afterStatement; ignored", e);
            }
        }
    }

    private static ConnectionFailedException connectionFailed(String url, Dialect dialect, Throwable e) {
        return ConnectionFailures.connectionFailed(url, dialect, e);
    }

    private static int jdbcLevel(Isolation level) {
        return level == null ? 0 : level.jdbcLevel();
    }

    /** What the engines get from this database: the dialect, connections, and transactions on a connection. */
    private final class EngineSessions implements Sessions {
        @Override
        public Dialect dialect() {
            return dialect;
        }

        @Override
        public Connection connect(DataSource dataSource) {
            return Database.this.connect(dataSource);
        }

        @Override
        public Session open(Connection connection, Boundary boundary, int isolationLevel, boolean readOnly,
                            int attempt, long deadlineNanos) {
            return new Transaction(Database.this, connection, boundary, Isolation.ofJdbc(isolationLevel), readOnly,
                    attempt, deadlineNanos).session();
        }
    }

    // ============================================================================================================
    // Records: one-call forms of Transaction's record operations (docs/records.md). Reads and single-statement
    // writes run on their own (one round trip, autocommit); writes that need more than one statement run in a
    // transaction. Inside a transaction on this thread they join it.
    // ============================================================================================================

    /** Runs one query and maps its rows to records; see {@link Transaction#query(Class, String, Object...)}. */
    public <T> List<T> query(Class<T> type, String sql, Object... args) {
        return single(true, tx -> tx.query(type, sql, args));
    }

    /** Runs one query for at most one record; see {@link Transaction#queryOne(Class, String, Object...)}. */
    public <T> Optional<T> queryOne(Class<T> type, String sql, Object... args) {
        return single(true, tx -> tx.queryOne(type, sql, args));
    }

    /**
     * Reads the row with this id, if there is one.
     *
     * <pre>{@code Optional<Thing> t = db.find(Thing.class, 42L);}</pre>
     */
    public <T> Optional<T> find(Class<T> type, Object id) {
        return single(true, tx -> tx.find(type, id));
    }

    /**
     * Reads the row with this id.
     *
     * <pre>{@code Thing t = db.get(Thing.class, 42L);}</pre>
     *
     * @throws NotFoundException when there is none
     */
    public <T> T get(Class<T> type, Object id) {
        return single(true, tx -> tx.get(type, id));
    }

    /**
     * The row a snapshot was read from, as it is now, as a new snapshot. Records are immutable: this is how a stale
     * copy is refreshed ({@code user = db.reload(user)}).
     *
     * @throws NotFoundException when the row has been deleted
     */
    public <T> T reload(T snapshot) {
        return single(true, tx -> tx.reload(snapshot));
    }

    /**
     * Inserts a row (one statement) and returns it as stored, with its generated id.
     *
     * <pre>{@code Thing t = db.insert(new Thing(null, 1, 1, 0));}</pre>
     */
    public <T> T insert(T record) {
        return single(false, tx -> tx.insert(record));
    }

    /**
     * An atomic update in one statement, returning the new row; see
     * {@link Transaction#update(Class, Object, Update.Assignment...)}.
     *
     * <pre>{@code Counter c = db.update(Counter.class, id, set(Counter::count, plus(1)));}</pre>
     *
     * <p>On MariaDB, which has no {@code UPDATE ... RETURNING}, the UPDATE runs on its own and captures the new values
     * in session variables that a SELECT in the same compound statement ({@code BEGIN NOT ATOMIC ... END}) reads: one
     * round trip, and the row lock lasts for the UPDATE alone. (The very first call for a record type, and types with
     * an {@code ON UPDATE} column or an {@code Instant}/{@code OffsetDateTime} component, run UPDATE and SELECT in a
     * transaction instead.)
     */
    @SafeVarargs
    public final <T> T update(Class<T> type, Object id, Update.Assignment<? super T>... assignments) {
        return inTransactionOnMariaDb(type)
                ? transact(tx -> tx.update(type, id, assignments))
                : single(false, tx -> tx.update(type, id, assignments));
    }

    /**
     * A guarded atomic update in one statement: made only where {@code condition} holds on the row; see
     * {@link Transaction#updateIf}.
     *
     * <pre>{@code
     * Optional<GiftCard> after = db.updateIf(GiftCard.class, id, atLeast(GiftCard::balance, amount),
     *         set(GiftCard::balance, minus(amount)));
     * }</pre>
     *
     * @return the row after the update, or empty when the condition did not hold or there is no such row
     */
    @SafeVarargs
    public final <T> Optional<T> updateIf(Class<T> type, Object id, Condition<? super T> condition,
                                          Update.Assignment<? super T>... assignments) {
        return inTransactionOnMariaDb(type)
                ? transact(tx -> tx.updateIf(type, id, condition, assignments))
                : single(false, tx -> tx.updateIf(type, id, condition, assignments));
    }

    /**
     * The atomic update without reading the row back: one statement, one round trip, on every database; see
     * {@link Transaction#apply}.
     *
     * <pre>{@code db.apply(Counter.class, id, set(Counter::count, plus(1L)));}</pre>
     *
     * @return true when the row was updated, false when there is no row with this id
     */
    @SafeVarargs
    public final <T> boolean apply(Class<T> type, Object id, Update.Assignment<? super T>... assignments) {
        return single(false, tx -> tx.apply(type, id, assignments));
    }

    /**
     * A guarded atomic update without reading the row back, in one statement; see {@link Transaction#applyIf}.
     *
     * <pre>{@code
     * boolean debited = db.applyIf(GiftCard.class, id, atLeast(GiftCard::balance, amount),
     *         set(GiftCard::balance, minus(amount)));
     * }</pre>
     *
     * @return true when the condition held and the row was updated
     */
    @SafeVarargs
    public final <T> boolean applyIf(Class<T> type, Object id, Condition<? super T> condition,
                                     Update.Assignment<? super T>... assignments) {
        return single(false, tx -> tx.applyIf(type, id, condition, assignments));
    }

    /**
     * An optimistic write of a snapshot; see {@link Transaction#update(Object)}.
     *
     * @throws StaleWriteException when the row moved on since the snapshot was read
     */
    public <T> T update(T snapshot) {
        return snapshot != null && inTransactionOnMariaDb(snapshot.getClass())
                ? transact(tx -> tx.update(snapshot))
                : single(false, tx -> tx.update(snapshot));
    }

    /**
     * Inserts the row or overwrites the one with its id, in one statement; see {@link Transaction#upsert}.
     *
     * <pre>{@code Setting s = db.upsert(new Setting("theme", "dark"));}</pre>
     */
    public <T> T upsert(T record) {
        return single(false, tx -> tx.upsert(record));
    }

    /**
     * Deletes the snapshot's row in one statement; with a {@link dev.holdfast.record.Version}, only if the row is
     * still at the snapshot's version. See {@link Transaction#delete(Object)}.
     *
     * @return false when the row was already gone
     * @throws StaleWriteException when the row changed since the snapshot was read; nothing is deleted
     */
    public <T> boolean delete(T snapshot) {
        return single(false, tx -> tx.delete(snapshot));
    }

    /** Deletes the row with this id in one statement, whatever it holds; false when there was none. */
    public <T> boolean delete(Class<T> type, Object id) {
        return single(false, tx -> tx.delete(type, id));
    }

    /**
     * Inserts many rows of one record type as one JDBC batch, in a transaction of its own: all of them or none. See
     * {@link Transaction#insertAll}.
     *
     * @return the number of rows inserted
     */
    public <T> int insertAll(java.util.Collection<? extends T> records) {
        return transact(tx -> tx.insertAll(records));
    }

    /**
     * Starts a query for rows of a {@link dev.holdfast.record.Table} record, run on its own when it is sent; see
     * {@link dev.holdfast.record.Select}.
     *
     * <pre>{@code List<Job> ready = db.select(Job.class).where("state = ?", "READY").orderBy("id").list();}</pre>
     *
     * <p>A locking read ({@code forUpdate()}, {@code forShare()}) is refused here, and there is no {@code db.lock(key)}:
     * outside a transaction a lock ends with the statement that took it, so it would protect nothing. Take locks in
     * {@code db.transact(tx -> ...)}, where they last until the commit: {@code tx.select(Job.class).forUpdate()},
     * {@code tx.lock("payments:" + id)}.
     */
    public <T> dev.holdfast.record.Select<T> select(Class<T> type) {
        Transaction outer = current.get();
        if (outer != null) {
            return outer.select(type);
        }
        return new dev.holdfast.record.Select<>(new dev.holdfast.internal.SelectQuery<T>() {
            @Override
            public String typeName() {
                return type.getSimpleName();
            }

            @Override
            public String sql(String where, String orderBy, int limit, dev.holdfast.internal.RowLock lock,
                              dev.holdfast.internal.LockWait wait) {
                if (lock != dev.holdfast.internal.RowLock.NONE) {
                    throw new HoldfastException("db.select(" + type.getSimpleName() + ".class)."
                            + (lock == dev.holdfast.internal.RowLock.UPDATE ? "forUpdate()" : "forShare()")
                            + " needs a transaction: outside one the lock ends with the statement. Use "
                            + "db.transact(tx -> tx.select(" + type.getSimpleName() + ".class)...)");
                }
                if (wait != dev.holdfast.internal.LockWait.WAIT) {
                    throw new HoldfastException("noWait() and skipLocked() change how a locking read waits, and a "
                            + "locking read needs a transaction: use db.transact(tx -> tx.select(...).forUpdate()...)");
                }
                return RecordSelect.unlockedSql(dialect, type, where, orderBy, limit);
            }

            @Override
            public List<T> list(String sql, Object[] args) {
                return single(true, tx -> RecordSelect.of(tx.session(), type).list(sql, args));
            }

            @Override
            public Optional<T> optional(String sql, Object[] args) {
                return single(true, tx -> RecordSelect.of(tx.session(), type).optional(sql, args));
            }
        });
    }

    /** MariaDB reads the new row of an atomic update back in a transaction until the type is known to allow better. */
    private boolean inTransactionOnMariaDb(Class<?> type) {
        if (!(dialect instanceof MariaDbDialect)) {
            return false;
        }
        if (!RecordWrites.tableChecked(recordMemo, type)) {
            // Check the table before choosing, so the first call sends the same statements as every later one (the
            // interleaving explorer replays code and expects it to behave the same way twice).
            single(true, tx -> {
                RecordWrites.checkTable(tx.session(), type);
                return null;
            });
        }
        return !RecordWrites.capturesAlone(recordMemo, type);
    }

    /**
     * A locked read-modify-write in its own transaction (retried on a conflict, so {@code change} may run more than
     * once: keep it free of side effects); see {@link Transaction#modify}.
     *
     * <pre>{@code Thing t = db.modify(Thing.class, id, x -> x.withFoo(2));}</pre>
     */
    public <T> T modify(Class<T> type, Object id, UnaryOperator<T> change) {
        return transact(tx -> tx.modify(type, id, change));
    }

    // --------------------------------------------------------------------------------------------------- builder

    /**
     * Configures a {@link Database}.
     *
     * <pre>{@code
     * Database db = Database.builder("jdbc:postgresql://localhost/app")
     *     .user("app").password(secret)
     *     .poolSize(20)
     *     .isolation(Isolation.READ_COMMITTED)
     *     .retry(Retry.exponential(10, Duration.ofMillis(5), Duration.ofSeconds(1)))
     *     .listener(new LoggingStatementListener())
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final String url;
        private final DataSource dataSource;
        private String user;
        private String password;
        private int poolSize;
        private Isolation isolation;
        private Retry retry = Retry.DEFAULT;
        private Duration timeout;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private final List<StatementListener> listeners = new ArrayList<>();
        private final Properties properties = new Properties();
        private SqliteSynchronous synchronous = SqliteSynchronous.FULL;
        private int writerQueueCapacity = 4096;
        private int groupCommitMaxUnits = 512;
        private boolean multiProcess;
        private final List<String> replicas = new ArrayList<>();
        private Duration replicaWait = Duration.ofMillis(500);

        private Builder(String url, DataSource dataSource) {
            this.url = url;
            this.dataSource = dataSource;
        }

        /** The user to connect as (for PostgreSQL and MariaDB; it may also be in the URL). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password to connect with. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The most connections the pool opens; default 10 for servers, 4 readers for SQLite. */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** The default isolation level of transactions; READ COMMITTED unless set (see {@link Isolation}). */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /** The default retry policy; {@link Retry#DEFAULT} unless set. */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The default time limit of a transaction, all its attempts together; none unless set. */
        public Builder timeout(Duration timeout) {
            this.timeout = new TransactionOptions(null, null, timeout).timeout();
            return this;
        }

        /** How long to wait for a connection before failing; 30 s unless set. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Adds a listener that sees every statement; see {@link StatementListener}. */
        public Builder listener(StatementListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * SQLite only: how hard a commit works to survive a power cut; {@link SqliteSynchronous#FULL} unless set.
         *
         * <pre>{@code Database.builder("jdbc:sqlite:cache.db").sqliteSynchronous(SqliteSynchronous.NORMAL).build();}</pre>
         */
        public Builder sqliteSynchronous(SqliteSynchronous synchronous) {
            this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
            return this;
        }

        /**
         * SQLite only: how many write transactions may wait for the writer; 4096 unless set. When the queue is full,
         * {@code transact} waits for room up to the transaction's timeout (30 s when none is set), then fails with
         * {@link TransactionTimeoutException}: back-pressure instead of unbounded memory.
         */
        public Builder writerQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("writerQueueCapacity must be at least 1, got " + capacity);
            }
            this.writerQueueCapacity = capacity;
            return this;
        }

        /**
         * SQLite only: the most write transactions the writer commits together (one SQLite transaction, one fsync, each
         * in its own savepoint); 512 unless set. 1 turns group commit off.
         */
        public Builder groupCommitMaxUnits(int maxUnits) {
            if (maxUnits < 1) {
                throw new IllegalArgumentException("groupCommitMaxUnits must be at least 1, got " + maxUnits);
            }
            this.groupCommitMaxUnits = maxUnits;
            return this;
        }

        /**
         * SQLite only: set when other processes write to the same file. Then there is no writer thread: each write
         * transaction takes a pooled connection and {@code BEGIN IMMEDIATE}, waits in SQLite's busy handler, and is
         * retried with backoff on {@link BusyException} — correct, but slower and with a long latency tail under
         * contention. False unless set. When a deployment outgrows one process per file, PostgreSQL is the answer.
         *
         * <pre>{@code Database db = Database.builder("jdbc:sqlite:shared.db").multiProcess(true).build();}</pre>
         */
        public Builder multiProcess(boolean multiProcess) {
            this.multiProcess = multiProcess;
            return this;
        }

        /**
         * Adds a read replica: a PostgreSQL streaming replica, or another node of a MariaDB Galera cluster.
         * {@code db.read(...)} and single-statement reads go to a replica that has replayed this Database's own
         * writes (and any {@link ReadOptions#after} token); writes and {@code transact} go to the primary. A replica
         * that is behind is waited for up to {@link #replicaWait}, then the read goes to the primary; one that is down
         * sends its reads to the primary with a warning. The replica gets this builder's user, password and
         * settings. See {@code docs/replicas.md}.
         *
         * <pre>{@code
         * Database db = Database.builder("jdbc:postgresql://db1,db2/app?targetServerType=primary")
         *     .replica("jdbc:postgresql://db2/app")
         *     .build();
         * }</pre>
         */
        public Builder replica(String replicaUrl) {
            replicas.add(Objects.requireNonNull(replicaUrl, "replicaUrl"));
            return this;
        }

        /** How long a read waits for a replica to reach its position before going to the primary; 500 ms unless set. */
        public Builder replicaWait(Duration wait) {
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("replicaWait must be zero or positive, got " + wait);
            }
            this.replicaWait = wait;
            return this;
        }

        /** A driver property passed to every new connection, e.g. {@code property("sslmode", "require")}. */
        public Builder property(String key, String value) {
            properties.setProperty(key, value);
            return this;
        }

        /**
         * Opens the pool and checks that a connection can be made.
         *
         * @throws ConnectionFailedException naming the URL and the problem when no connection can be made
         */
        public Database build() {
            if (dataSource != null) {
                Dialect dialect;
                try (Connection c = dataSource.getConnection()) {
                    dialect = Dialect.forProductName(c.getMetaData().getDatabaseProductName());
                } catch (SQLException e) {
                    throw connectionFailed("the given DataSource", null, e);
                }
                return withRouter(new Database(this, dialect, new PooledEngine(dataSource, null)));
            }
            Dialect dialect = Dialect.forUrl(url);
            if (dialect instanceof SqliteDialect && !multiProcess) {
                SqliteFiles.check(url);
                // The writer opens first: it creates the file and switches it to WAL before any reader looks at it.
                SqliteWriter writer = new SqliteWriter(url, sqliteProperties(), writerQueueCapacity,
                        groupCommitMaxUnits);
                HikariDataSource readers;
                try {
                    readers = openPool(dialect, true);
                } catch (RuntimeException e) {
                    writer.close();
                    throw e;
                }
                return withRouter(new Database(this, dialect, new SqliteEngine(writer, new PooledEngine(readers, readers))));
            }
            HikariDataSource pool = openPool(dialect, false);
            return withRouter(new Database(this, dialect, new PooledEngine(pool, pool)));
        }

        private Database withRouter(Database db) {
            try {
                db.router = ReplicaRouter.create(db.dialect.name(), url, List.copyOf(replicas), replicaWait, this::openReplica,
                        sql -> db.run(TransactionOptions.defaults(), true, true, tx -> tx.queryScalar(String.class, sql)));
                return db;
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        /** A Database on a replica with this builder's settings, plus driver properties. */
        private Database openReplica(String replicaUrl, java.util.Map<String, String> extra) {
            Builder b = new Builder(replicaUrl, null);
            b.user = user;
            b.password = password;
            b.poolSize = poolSize;
            b.isolation = isolation;
            b.retry = retry;
            b.timeout = timeout;
            // A replica that died must cost a read little: its reads go to the primary once borrowing fails.
            b.connectTimeout = connectTimeout.compareTo(Duration.ofSeconds(1)) < 0 ? connectTimeout : Duration.ofSeconds(1);
            b.listeners.addAll(listeners);
            b.properties.putAll(properties);
            extra.forEach(b.properties::setProperty);
            return b.build();
        }

        private Properties sqliteProperties() {
            Properties props = new Properties();
            props.setProperty("journal_mode", "WAL");
            props.setProperty("synchronous", synchronous.name());
            props.setProperty("foreign_keys", "true");
            // Readers never wait for the writer in WAL mode; this covers checkpoints, the first switch to WAL and,
            // in multiProcess mode, other processes' writers.
            props.setProperty("busy_timeout", "10000");
            // Holdfast reads generated keys with RETURNING. With this on (sqlite-jdbc's default) the driver matches
            // every statement it runs (BEGIN, SAVEPOINT, COMMIT included) against a regular expression, and after
            // each INSERT runs a query of its own, SELECT last_insert_rowid(): most of the time of a one-row write
            // transaction in a JFR profile, paid for nothing.
            props.setProperty("jdbc.get_generated_keys", "false");
            props.putAll(properties);
            return props;
        }

        private HikariDataSource openPool(Dialect dialect, boolean sqliteReaders) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setPoolName("holdfast-" + POOLS.incrementAndGet());
            if (user != null) {
                config.setUsername(user);
            }
            if (password != null) {
                config.setPassword(password);
            }
            config.setAutoCommit(true);
            config.setInitializationFailTimeout(1);
            config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
            Properties props = new Properties();
            if (dialect instanceof SqliteDialect) {
                SqliteFiles.check(url);
                props = sqliteProperties();
                if (sqliteReaders) {
                    // Refused by SQLite itself, so not even a "select ... returning" slips a write past the writer.
                    config.setConnectionInitSql("PRAGMA query_only = ON");
                }
                config.setMaximumPoolSize(poolSize > 0 ? poolSize : 4);
            } else {
                Isolation level = isolation != null ? isolation : Isolation.ofJdbc(dialect.defaultIsolationLevel());
                config.setTransactionIsolation("TRANSACTION_" + level.name());
                config.setMaximumPoolSize(poolSize > 0 ? poolSize : 10);
                props.putAll(properties);
            }
            config.setDataSourceProperties(props);
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw connectionFailed(url, dialect, e);
            }
        }
    }
}
