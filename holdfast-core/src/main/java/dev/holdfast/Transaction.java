package dev.holdfast;

import dev.holdfast.error.CommitOutcomeUnknownException;
import dev.holdfast.error.ConflictException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.LockTimeoutException;
import dev.holdfast.error.MappingException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.error.QueryTimeoutException;
import dev.holdfast.error.TransactionInterruptedException;
import dev.holdfast.error.TransactionTimeoutException;
import dev.holdfast.internal.Boundary;
import dev.holdfast.internal.InterruptWatch;
import dev.holdfast.internal.Parameters;
import dev.holdfast.internal.PreparedStatements;
import dev.holdfast.internal.RowMapper;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import dev.holdfast.internal.record.AdvisoryLock;
import dev.holdfast.internal.record.RecordReader;
import dev.holdfast.internal.record.RecordSelect;
import dev.holdfast.internal.record.RecordWrites;
import dev.holdfast.internal.record.Scalars;
import dev.holdfast.internal.sqlite.SqliteDeadline;
import dev.holdfast.record.Column;
import dev.holdfast.record.Condition;
import dev.holdfast.record.Id;
import dev.holdfast.record.Select;
import dev.holdfast.record.Table;
import dev.holdfast.record.Update;
import dev.holdfast.record.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One attempt of a database transaction, handed to the body of {@link Database#transact} or {@link Database#read}.
 *
 * <p>Every call sends its statement at once, in program order (write-through: nothing is deferred or reordered), with
 * its values bound to {@code ?} placeholders. A failing statement throws the classified {@link HoldfastException}; a
 * {@link ConflictException} makes the whole transaction roll back and run again, so let it propagate.
 *
 * <pre>{@code
 * long total = db.transact(tx -> {
 *     tx.execute("insert into payment(collection_id, amount) values (?, ?)", collectionId, amount);
 *     tx.afterCommit(() -> mailer.sendReceipt(collectionId));
 *     return tx.queryScalar(Long.class, "select sum(amount) from payment where collection_id = ?", collectionId);
 * });
 * }</pre>
 *
 * <p>A transaction belongs to the thread that runs its body and is closed when the body returns; keeping it for later
 * is an error.
 */
public final class Transaction {

    private final Database db;
    private final Connection connection;
    private final Dialect dialect;
    private final Boundary boundary;
    private final Isolation isolation;
    private final boolean readOnly;
    private final int attempt;
    private final long deadlineNanos;    // 0: none
    private final Thread owner;
    private List<Runnable> afterCommit;
    private int savepoints;
    private int depth;                   // open savepoints
    private ConflictException doom;      // a conflict the body swallowed: the attempt must not commit
    private int doomDepth;
    private boolean closed;
    private PreparedStatements statements;   // reused prepared statements (the SQLite writer's connection), or null
    private int connectionLevel;         // the JDBC level the pool guarantees a borrowed connection is at, or 0: ask
    private final Session session = new Control();
    private boolean deadlineArmed;       // a SQLite progress handler enforces the deadline on this connection

    Transaction(Database db, Connection connection, Boundary boundary, Isolation isolation, boolean readOnly,
                int attempt, long deadlineNanos) {
        this.db = db;
        this.connection = connection;
        this.dialect = db.dialect();
        this.boundary = boundary;
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.attempt = attempt;
        this.deadlineNanos = deadlineNanos;
        this.owner = Thread.currentThread();
    }

    // ---------------------------------------------------------------------------------------------------- statements

    /**
     * Runs an INSERT, UPDATE, DELETE or DDL statement.
     *
     * <pre>{@code tx.execute("update thing set foo = ? where id = ?", 2, id);}</pre>
     *
     * @return the number of rows changed
     */
    public int execute(String sql, Object... args) {
        checkWritable(sql);
        Object[] values = Parameters.orNone(args);
        return run(SqlStatement.Kind.UPDATE, sql, values, 1, ps -> {
            Parameters.bind(ps, dialect, sql, values);
            return ps.executeUpdate();
        }, n -> n);
    }

    /**
     * Runs one statement for many rows of values as a JDBC batch: one round trip instead of one per row.
     *
     * <pre>{@code tx.executeBatch("insert into item(name, qty) values (?, ?)", List.of(new Object[]{"a", 1}, new Object[]{"b", 2}));}</pre>
     *
     * @return the rows changed by each entry of the batch, as the driver reports them
     */
    public int[] executeBatch(String sql, List<Object[]> rows) {
        checkWritable(sql);
        if (rows.isEmpty()) {
            return new int[0];
        }
        Object[] first = Parameters.orNone(rows.get(0));
        return run(SqlStatement.Kind.BATCH, sql, first, rows.size(), ps -> {
            int count = Parameters.checkCount(ps, dialect, sql, first.length, 0);
            int r = 0;
            for (Object[] row : rows) {
                Object[] values = Parameters.orNone(row);
                Parameters.checkRow(sql, count, values.length, r++);
                for (int i = 0; i < values.length; i++) {
                    Parameters.bind(ps, dialect, sql, i + 1, values[i]);
                }
                ps.addBatch();
            }
            return ps.executeBatch();
        }, counts -> {
            long sum = 0;
            for (int c : counts) {
                sum += Math.max(c, 0);
            }
            return sum;
        });
    }

    /**
     * Runs a query and maps every row.
     *
     * <pre>{@code List<String> names = tx.query(rs -> rs.getString(1), "select name from person where age > ?", 30);}</pre>
     */
    public <T> List<T> query(RowMapper<T> mapper, String sql, Object... args) {
        Object[] values = Parameters.orNone(args);
        return run(SqlStatement.Kind.QUERY, sql, values, 1, ps -> {
            Parameters.bind(ps, dialect, sql, values);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }, List::size);
    }

    /**
     * Runs a query that returns at most one row.
     *
     * @return the mapped row, or empty when there is none
     * @throws HoldfastException when the query returns more than one row
     */
    public <T> Optional<T> queryOne(RowMapper<T> mapper, String sql, Object... args) {
        List<T> rows = query(mapper, sql, args);
        if (rows.size() > 1) {
            throw new HoldfastException("queryOne expected at most one row but [" + sql + "] returned " + rows.size()
                    + "; add a WHERE on a unique key or a LIMIT, or use query(...)");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * Runs a query that returns one row of one column and reads it as {@code type} ({@code Long}, {@code Integer},
     * {@code String}, {@code BigDecimal}, {@code Boolean}, {@code Double}, …).
     *
     * <pre>{@code long n = tx.queryScalar(Long.class, "select count(*) from thing where foo = ?", 1);}</pre>
     *
     * @return the value, or {@code null} when it is SQL NULL
     * @throws NotFoundException when the query returns no row
     */
    public <T> T queryScalar(Class<T> type, String sql, Object... args) {
        Object[] values = Parameters.orNone(args);
        List<T> rows = run(SqlStatement.Kind.QUERY, sql, values, 1, ps -> {
            Parameters.bind(ps, dialect, sql, values);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>(1);
                while (rs.next()) {
                    out.add(Scalars.read(rs, 1, type));
                }
                return out;
            }
        }, List::size);
        if (rows.isEmpty()) {
            throw new NotFoundException("queryScalar expected one row but [" + sql + "] returned none");
        }
        if (rows.size() > 1) {
            throw new HoldfastException("queryScalar expected one row but [" + sql + "] returned " + rows.size());
        }
        return rows.get(0);
    }

    // ------------------------------------------------------------------------------------------- savepoints, hooks

    /**
     * Runs part of the transaction that can fail alone: when {@code body} throws, its writes are rolled back, the
     * exception propagates, and the rest of the transaction goes on if the caller catches it.
     *
     * <pre>{@code
     * try {
     *     tx.savepoint(sp -> sp.execute("insert into tag(name) values (?)", name));
     * } catch (UniqueViolationException alreadyThere) {
     *     // the insert is undone; everything before the savepoint stands
     * }
     * }</pre>
     */
    public <R, X extends Exception> R savepoint(TransactionCallback<R, X> body) throws X {
        checkOpen();
        if (boundary == Boundary.AUTOCOMMIT) {
            throw new HoldfastException("savepoint(...) needs a transaction; this one runs each statement on its own "
                    + "(a read at READ COMMITTED). Use db.transact(...)");
        }
        String name = "hf_sp_" + (++savepoints);
        control(SqlStatement.Kind.SAVEPOINT, "SAVEPOINT " + name);
        depth++;
        int actionsBefore = afterCommit == null ? 0 : afterCommit.size();
        R result;
        try {
            result = body.apply(this);
        } catch (Throwable t) {
            depth--;
            // The writes of this part are undone, so the side effects it registered must not happen either.
            if (afterCommit != null) {
                afterCommit.subList(actionsBefore, afterCommit.size()).clear();
            }
            rollbackToSavepoint(name, t);
            throw t;
        }
        depth--;
        control(SqlStatement.Kind.SAVEPOINT, "RELEASE SAVEPOINT " + name);
        return result;
    }

    private void rollbackToSavepoint(String name, Throwable cause) {
        try {
            control(SqlStatement.Kind.ROLLBACK, "ROLLBACK TO SAVEPOINT " + name);
            control(SqlStatement.Kind.SAVEPOINT, "RELEASE SAVEPOINT " + name);
            if (doom != null && doomDepth > depth) {
                doom = null;   // the conflict happened inside the part just undone; the rest can still commit
            }
        } catch (RuntimeException e) {
            // MariaDB rolls a deadlock victim back whole, taking the savepoint with it: the transaction cannot go on.
            if (doom == null) {
                doom = cause instanceof ConflictException c ? c
                        : new ConflictException("The transaction was rolled back by the database inside a savepoint",
                                null);
                doomDepth = -1;
            }
            cause.addSuppressed(e);
        }
    }

    /**
     * Registers an action to run once, after the transaction's final successful commit, in the thread that called
     * {@code transact}. It never runs after a rollback or after an attempt that is retried, so it is the place for side
     * effects: sending mail, publishing an event, calling another service.
     */
    public void afterCommit(Runnable action) {
        checkOpen();
        if (afterCommit == null) {
            afterCommit = new ArrayList<>(2);
        }
        afterCommit.add(action);
    }

    /** This transaction's isolation level. */
    public Isolation isolation() {
        return isolation;
    }

    /** True inside {@link Database#read}: statements that write are refused. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Which attempt this is, 1 for the first; greater after a conflict made the transaction run again. */
    public int attempt() {
        return attempt;
    }

    // ------------------------------------------------------------------------------------------------ engine side

    /** Reuses prepared statements from {@code cache}, which must belong to this transaction's connection. */
    Transaction cachingStatements(PreparedStatements cache) {
        if (!cache.serves(connection)) {
            throw new IllegalArgumentException("the statement cache belongs to another connection");
        }
        this.statements = cache;
        return this;
    }

    Dialect dialect() {
        return dialect;
    }

    List<Runnable> afterCommitActions() {
        return afterCommit == null ? List.of() : afterCommit;
    }

    /**
     * Tells the transaction that its connection is known to be at {@code level}, so {@link #begin()} need not ask the
     * driver (on PostgreSQL {@code getTransactionIsolation()} is a round trip every time).
     */
    Transaction connectionAt(int level) {
        this.connectionLevel = level;
        return this;
    }

    /** Starts the transaction on its connection. */
    void begin() {
        try {
            switch (boundary) {
                case JDBC -> {
                    // JDBC sends no BEGIN (the driver starts the transaction with the first statement), but listeners
                    // are told, so that one sees where each transaction starts, as with COMMIT and ROLLBACK
                    long start = System.nanoTime();
                    SqlStatement st = db.listening() ? control(SqlStatement.Kind.BEGIN) : null;
                    if (isolation != null && isolation.jdbcLevel() != connectionLevel
                            && connection.getTransactionIsolation() != isolation.jdbcLevel()) {
                        connection.setTransactionIsolation(isolation.jdbcLevel());
                    }
                    if (readOnly) {
                        connection.setReadOnly(true);
                    }
                    connection.setAutoCommit(false);
                    db.fireAfter(st, start, 0, null);
                }
                case SQL -> control(SqlStatement.Kind.BEGIN, readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
                case SAVEPOINT -> control(SqlStatement.Kind.SAVEPOINT, "SAVEPOINT hf_unit");
                case AUTOCOMMIT -> { }
            }
            if (deadlineNanos != 0 && dialect instanceof SqliteDialect) {
                SqliteDeadline.arm(connection, deadlineNanos);
                deadlineArmed = true;
            }
        } catch (SQLException e) {
            throw dialect.translate(e, null);
        }
    }

    /**
     * Commits. A conflict the body caught and swallowed is thrown instead, so that the attempt is retried rather than
     * committing half of what the body meant to do.
     */
    void commit() {
        checkOwner();
        if (doom != null) {
            throw doom;
        }
        if (deadlineNanos != 0 && boundary != Boundary.AUTOCOMMIT && System.nanoTime() - deadlineNanos >= 0) {
            // The body outran its time limit between statements (in its own code): it must not commit late.
            throw new TransactionTimeoutException("The transaction ran past its timeout before COMMIT; it was rolled "
                    + "back and nothing of it is committed. Raise the timeout in TransactionOptions, or keep slow work "
                    + "(network calls, sleeps) out of the body", null);
        }
        switch (boundary) {
            case JDBC -> {
                long start = System.nanoTime();
                SqlStatement st = db.listening() ? control(SqlStatement.Kind.COMMIT) : null;
                try {
                    connection.commit();
                    db.fireAfter(st, start, 0, null);
                } catch (SQLException e) {
                    HoldfastException failure = dialect.isConnectionLost(e)
                            ? new CommitOutcomeUnknownException("The connection was lost while committing; the "
                            + "transaction may or may not have been committed, so it is not retried: " + e.getMessage(), e)
                            : dialect.translate(e, "COMMIT");
                    db.fireAfter(st, start, -1, failure);
                    throw failure;
                }
            }
            case SQL -> control(SqlStatement.Kind.COMMIT, "COMMIT");
            case SAVEPOINT -> control(SqlStatement.Kind.SAVEPOINT, "RELEASE SAVEPOINT hf_unit");
            case AUTOCOMMIT -> { }
        }
    }

    /**
     * Rolls back, never throwing: a failed rollback is added to {@code cause} as suppressed.
     *
     * @return false when the rollback itself failed: for a {@link Boundary#SAVEPOINT} unit that means SQLite already
     *         rolled back the whole enclosing transaction (it does so after I/O errors, a full disk or an interrupt),
     *         so the SQLite writer must not go on with its group
     */
    boolean rollback(Throwable cause) {
        try {
            switch (boundary) {
                case JDBC -> {
                    long start = System.nanoTime();
                    SqlStatement st = db.listening() ? control(SqlStatement.Kind.ROLLBACK) : null;
                    try {
                        connection.rollback();
                        db.fireAfter(st, start, 0, null);
                    } catch (SQLException e) {
                        db.fireAfter(st, start, -1, dialect.translate(e, "ROLLBACK"));
                        throw e;
                    }
                }
                case SQL -> control(SqlStatement.Kind.ROLLBACK, "ROLLBACK");
                case SAVEPOINT -> {
                    control(SqlStatement.Kind.ROLLBACK, "ROLLBACK TO SAVEPOINT hf_unit");
                    control(SqlStatement.Kind.SAVEPOINT, "RELEASE SAVEPOINT hf_unit");
                }
                case AUTOCOMMIT -> { }
            }
            return true;
        } catch (Exception e) {
            if (cause != null && cause != e) {
                cause.addSuppressed(e);
            }
            return false;
        }
    }

    /** Puts the connection back as the pool gave it, and makes later use of this object an error. */
    void close() {
        closed = true;
        if (deadlineArmed) {
            try {
                SqliteDeadline.disarm(connection);
            } catch (SQLException ignored) {
                // the connection is broken; the writer replaces a broken connection
            }
        }
        if (boundary == Boundary.JDBC) {
            try {
                connection.setAutoCommit(true);
                if (readOnly) {
                    connection.setReadOnly(false);
                }
            } catch (SQLException ignored) {
                // the pool validates connections and evicts a broken one
            }
        }
        runAfterEnd();
    }

    // ------------------------------------------------------------------------------------------------ internals

    @FunctionalInterface
    interface Exec<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowCount<T> {
        long of(T result);
    }

    private <T> T run(SqlStatement.Kind kind, String sql, Object[] args, int batchSize, Exec<T> exec,
                      RowCount<T> rows) {
        checkOpen();
        SqlStatement st = null;
        if (db.listening()) {
            st = new SqlStatement(kind, sql, Parameters.asList(args), batchSize, listenedAttempt());
            db.fireBefore(st);
        }
        long start = System.nanoTime();
        PreparedStatement ps = null;
        boolean failed = true;
        try {
            ps = statements != null ? statements.prepare(sql) : connection.prepareStatement(sql);
            applyTimeout(ps);
            T result;
            if (dialect instanceof SqliteDialect) {
                result = exec.run(ps);
            } else {
                InterruptWatch.running(ps);
                try {
                    result = exec.run(ps);
                } finally {
                    InterruptWatch.done();
                }
            }
            failed = false;
            if (st != null) {
                db.fireAfter(st, start, rows.of(result), null);
            }
            return result;
        } catch (SQLException e) {
            HoldfastException failure = failure(kind, sql, e);
            if (failure instanceof ConflictException c && doom == null) {
                doom = c;
                doomDepth = depth;
            } else if (doom != null && !(failure instanceof ConflictException)
                    && !(failure instanceof TransactionTimeoutException)
                    && !(failure instanceof TransactionInterruptedException)) {
                // A statement after a conflict the body swallowed: PostgreSQL refuses every statement of an aborted
                // attempt (25P02). The attempt is lost either way; retry it instead of failing the transaction.
                doom.addSuppressed(failure);
                if (st != null) {
                    db.fireAfter(st, start, -1, failure);
                }
                throw doom;
            }
            if (st != null) {
                db.fireAfter(st, start, -1, failure);
            }
            throw failure;
        } catch (HoldfastException refused) {
            // refused before it was sent (ParameterException) or while reading its rows (MappingException)
            if (st != null) {
                db.fireAfter(st, start, -1, refused);
            }
            throw refused;
        } finally {
            release(sql, ps, failed);
        }
    }

    /** The exception for a failed statement, saying what the failure means for this transaction. */
    private HoldfastException failure(SqlStatement.Kind kind, String sql, SQLException e) {
        HoldfastException failure = dialect.translate(e, sql);
        if (!(dialect instanceof SqliteDialect) && Thread.currentThread().isInterrupted()) {
            return new TransactionInterruptedException("The thread was interrupted while [" + sql + "] was waiting; "
                    + "the statement was cancelled, the transaction rolled back and nothing of it is committed. The "
                    + "interrupt flag is still set", failure);
        }
        if (failure instanceof QueryTimeoutException && deadlineNanos != 0
                && System.nanoTime() - deadlineNanos >= 0) {
            return new TransactionTimeoutException("The transaction ran out of time during [" + sql + "], which was "
                    + "cancelled; the transaction was rolled back and nothing of it is committed. Raise the timeout in "
                    + "TransactionOptions or make the work shorter", failure);
        }
        if (boundary == Boundary.AUTOCOMMIT && kind != SqlStatement.Kind.QUERY && dialect.isConnectionLost(e)
                && !"08003".equals(e.getSQLState())) {
            // An autocommit statement is its own COMMIT: once it was sent, the server may have applied it.
            return new CommitOutcomeUnknownException("The connection was lost after [" + sql + "] was sent; it runs "
                    + "on its own (autocommit), so it may or may not have been committed, and it is not retried. Make "
                    + "the write idempotent or read the row before repeating it: " + e.getMessage(), e);
        }
        return failure;
    }

    private void release(String sql, PreparedStatement ps, boolean failed) {
        if (ps == null) {
            return;
        }
        if (statements != null) {
            statements.done(sql, ps, failed, deadlineNanos != 0);
            return;
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing a statement fails only when the connection is gone; the next use will say so
        }
    }

    /** Sends a transaction-control statement (SAVEPOINT, COMMIT, …) through the listeners. */
    private void control(SqlStatement.Kind kind, String sql) {
        checkOwner();
        SqlStatement st = null;
        if (db.listening()) {
            st = new SqlStatement(kind, sql, List.of(), 1, listenedAttempt());
            db.fireBefore(st);
        }
        long start = System.nanoTime();
        if (statements != null) {
            PreparedStatement ps = null;
            boolean failed = true;
            try {
                ps = statements.prepare(sql);
                ps.execute();
                failed = false;
                if (st != null) {
                    db.fireAfter(st, start, 0, null);
                }
            } catch (SQLException e) {
                throw controlFailed(st, start, sql, e);
            } finally {
                if (ps != null) {
                    statements.done(sql, ps, failed, false);
                }
            }
            return;
        }
        try (var s = connection.createStatement()) {
            s.execute(sql);
            if (st != null) {
                db.fireAfter(st, start, 0, null);
            }
        } catch (SQLException e) {
            throw controlFailed(st, start, sql, e);
        }
    }

    private HoldfastException controlFailed(SqlStatement st, long start, String sql, SQLException e) {
        HoldfastException failure = dialect.translate(e, sql);
        if (st != null) {
            db.fireAfter(st, start, -1, failure);
        }
        return failure;
    }

    /** The attempt a listener is told: 0 for a statement on its own (autocommit), as {@link SqlStatement} says. */
    private int listenedAttempt() {
        return boundary == Boundary.AUTOCOMMIT ? 0 : attempt;
    }

    /** Announces a JDBC-level begin, commit or rollback to the listeners (which may veto it by throwing). */
    private SqlStatement control(SqlStatement.Kind kind) {
        SqlStatement st = new SqlStatement(kind, kind.name(), List.of(), 1, listenedAttempt());
        db.fireBefore(st);
        return st;
    }

    private void applyTimeout(PreparedStatement ps) throws SQLException {
        if (deadlineNanos != 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new TransactionTimeoutException("The transaction ran out of time before this statement; "
                        + "nothing of it is committed. Raise the timeout in TransactionOptions or make it shorter", null);
            }
            ps.setQueryTimeout((int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L));
        }
    }

    private void checkWritable(String sql) {
        if (readOnly) {
            throw new HoldfastException("db.read(...) is read-only, but the body tried to write: [" + sql
                    + "]. Use db.transact(...) for work that writes");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This transaction has ended; a Transaction may only be used inside the "
                    + "body it was passed to");
        }
        checkOwner();
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("A Transaction belongs to the thread running its body ("
                    + owner.getName() + "); it was used from " + Thread.currentThread().getName()
                    + ". Run parallel work in transactions of its own");
        }
    }

    // ============================================================================================================
    // Records: rows as Java records, reads by id, safe writes, locking reads and named locks (docs/records.md).
    // Everything below delegates to RecordWrites, Select and AdvisoryLock.
    // ============================================================================================================

    /**
     * Runs a query and maps each row to a record, matching columns to components by name ({@code item_count} or
     * {@code itemCount} for a component {@code itemCount}, or its {@link Column} name). The record needs no
     * {@link Table} for this.
     *
     * <pre>{@code
     * record Total(long collectionId, BigDecimal total) {}
     * List<Total> totals = tx.query(Total.class,
     *     "select collection_id, sum(amount) as total from payment group by collection_id");
     * }</pre>
     *
     * @throws MappingException on the first row, when a component has no column in the result
     */
    public <T> List<T> query(Class<T> type, String sql, Object... args) {
        return query(RecordReader.byLabel(type, dialect), sql, args);
    }

    /** {@link #query(Class, String, Object...)} for at most one row. */
    public <T> Optional<T> queryOne(Class<T> type, String sql, Object... args) {
        return queryOne(RecordReader.byLabel(type, dialect), sql, args);
    }

    /**
     * Reads the row with this id, as it is now in the database (every call reads through, so it always agrees with
     * what this transaction has written).
     *
     * <pre>{@code Optional<Thing> t = tx.find(Thing.class, 42L);}</pre>
     */
    public <T> Optional<T> find(Class<T> type, Object id) {
        return RecordWrites.find(session, type, id);
    }

    /**
     * {@link #find} for a row that must exist.
     *
     * @throws NotFoundException when there is no row with this id
     */
    public <T> T get(Class<T> type, Object id) {
        return RecordWrites.get(session, type, id);
    }

    /**
     * The row a snapshot was read from, as it is now: a new snapshot (records are immutable; the old one is not
     * changed).
     *
     * <pre>{@code Thing fresh = tx.reload(thing);}</pre>
     *
     * @throws NotFoundException when the row has been deleted
     */
    public <T> T reload(T snapshot) {
        return RecordWrites.reload(session, snapshot);
    }

    /**
     * Inserts a row and returns it as stored: with its generated id when the {@link Id} was {@code null}, and with
     * any value the database adjusted (rounding, precision).
     *
     * <pre>{@code Thing t = tx.insert(new Thing(null, 1, 1, 0));   // t.id() is set}</pre>
     */
    public <T> T insert(T record) {
        return RecordWrites.insert(session, record);
    }

    /**
     * Inserts many rows of one record type as a JDBC batch: one round trip instead of one per row. Generated ids are
     * not returned; use {@link #insert} per row when you need them.
     *
     * @return the number of rows inserted
     */
    public <T> int insertAll(Collection<? extends T> records) {
        return RecordWrites.insertAll(session, records);
    }

    /**
     * The default way to change a row: reads it with a row lock ({@code SELECT ... FOR UPDATE}; on SQLite the write
     * transaction is already exclusive), applies {@code change}, and writes only the columns that changed, bumping the
     * {@link Version}. Nobody can change the row between the read and the write, and columns {@code change} did not
     * touch are not written, so no concurrent write is lost.
     *
     * <pre>{@code Thing t = tx.modify(Thing.class, id, x -> x.withFoo(2));}</pre>
     *
     * @return the row as written (the one read, when {@code change} changed nothing)
     * @throws NotFoundException when there is no row with this id
     */
    public <T> T modify(Class<T> type, Object id, UnaryOperator<T> change) {
        return RecordWrites.modify(session, type, id, change);
    }

    /**
     * Writes a snapshot you hold, optimistically: only if the row is still at the snapshot's {@link Version}, and
     * bumping it. The record must have a {@code @Version}.
     *
     * <pre>{@code
     * Thing edited = form.applyTo(thing);
     * Thing saved = tx.update(edited);   // StaleWriteException if someone changed the row meanwhile
     * }</pre>
     *
     * @return the row as written, at the next version
     * @throws StaleWriteException when the row moved on or was deleted; nothing is written
     * @throws MappingException    when the record has no {@code @Version}
     */
    public <T> T update(T snapshot) {
        return RecordWrites.update(session, snapshot);
    }

    /**
     * An atomic update: one {@code UPDATE} whose new values the database computes from the current row, so concurrent
     * updates all count. Bumps the {@link Version} when there is one.
     *
     * <pre>{@code
     * import static dev.holdfast.record.Update.*;
     * Counter c = tx.update(Counter.class, id, set(Counter::count, plus(1)));
     * }</pre>
     *
     * @return the row after the update
     * @throws NotFoundException when there is no row with this id
     */
    @SafeVarargs
    public final <T> T update(Class<T> type, Object id, Update.Assignment<? super T>... assignments) {
        return RecordWrites.update(session, type, id, assignments);
    }

    /**
     * A guarded atomic update: the update of {@link #update(Class, Object, Update.Assignment...)}, made only where
     * {@code condition} holds on the row, in the same statement (no read first, so nothing can change the row between
     * the check and the write).
     *
     * <pre>{@code
     * import static dev.holdfast.record.Condition.atLeast;
     * Optional<GiftCard> debited = tx.updateIf(GiftCard.class, id, atLeast(GiftCard::balance, amount),
     *         set(GiftCard::balance, minus(amount)));
     * }</pre>
     *
     * @return the row after the update, or empty when the condition did not hold or there is no row with this id
     */
    @SafeVarargs
    public final <T> Optional<T> updateIf(Class<T> type, Object id, Condition<? super T> condition,
                                          Update.Assignment<? super T>... assignments) {
        return RecordWrites.updateIf(session, type, id, condition, assignments);
    }

    /**
     * The atomic update without reading the row back: one statement and one round trip on every database, for callers
     * that need to know only that it happened.
     *
     * <pre>{@code boolean counted = tx.apply(Counter.class, id, set(Counter::count, plus(1L)));}</pre>
     *
     * @return true when the row was updated, false when there is no row with this id
     */
    @SafeVarargs
    public final <T> boolean apply(Class<T> type, Object id, Update.Assignment<? super T>... assignments) {
        return RecordWrites.apply(session, type, id, null, assignments);
    }

    /**
     * {@link #updateIf} without reading the row back.
     *
     * @return true when the condition held and the row was updated
     */
    @SafeVarargs
    public final <T> boolean applyIf(Class<T> type, Object id, Condition<? super T> condition,
                                     Update.Assignment<? super T>... assignments) {
        return RecordWrites.apply(session, type, id, java.util.Objects.requireNonNull(condition, "condition"),
                assignments);
    }

    /**
     * Inserts the row, or when a row with its {@link Id} exists, overwrites every other column of it (and bumps the
     * version): {@code ON CONFLICT ... DO UPDATE} on PostgreSQL and SQLite, {@code ON DUPLICATE KEY UPDATE} on MariaDB.
     * The id must be set.
     *
     * <pre>{@code Setting s = tx.upsert(new Setting("theme", "dark"));}</pre>
     */
    public <T> T upsert(T record) {
        return RecordWrites.upsert(session, record);
    }

    /**
     * Deletes the snapshot's row; with a {@link Version}, only if the row is still at the snapshot's version.
     *
     * @return false when the row was already gone
     * @throws StaleWriteException when the row changed since the snapshot was read; nothing is deleted
     */
    public <T> boolean delete(T snapshot) {
        return RecordWrites.delete(session, snapshot);
    }

    /** Deletes the row with this id, whatever it holds; false when there was none. */
    public <T> boolean delete(Class<T> type, Object id) {
        return RecordWrites.delete(session, type, id);
    }

    /**
     * Starts a query for rows of a {@link Table} record; see {@link Select}.
     *
     * <pre>{@code List<Job> jobs = tx.select(Job.class).where("state = ?", READY).forUpdate().skipLocked().limit(10).list();}</pre>
     */
    public <T> Select<T> select(Class<T> type) {
        return new Select<>(RecordSelect.of(session, type));
    }

    /**
     * Takes a named lock in the database, held until this transaction commits or rolls back: other transactions
     * (in any thread, process or machine) asking for the same name wait. For invariants no single row lock covers,
     * like "one payment batch per collection at a time".
     *
     * <pre>{@code tx.lock("payments:" + collectionId);}</pre>
     *
     * <p>PostgreSQL {@code pg_advisory_xact_lock}; MariaDB {@code GET_LOCK} (released when the transaction ends; a
     * wait longer than 50 s is a {@link LockTimeoutException}, so the transaction is retried); SQLite: a write
     * transaction already excludes every other writer, so nothing is sent; in {@code db.read(...)} it is an error.
     */
    public void lock(String key) {
        AdvisoryLock.acquire(session, key);
    }

    private List<Session.EndAction> afterEnd;

    void afterEnd(Session.EndAction action) {
        if (afterEnd == null) {
            afterEnd = new ArrayList<>(1);
        }
        afterEnd.add(action);
    }

    /** Runs after commit or rollback, before the connection goes back to the pool; failures cannot be acted on. */
    private void runAfterEnd() {
        if (afterEnd == null) {
            return;
        }
        for (Session.EndAction action : afterEnd) {
            try {
                action.run(connection);
            } catch (SQLException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Transaction.class)
                        .warn("A clean-up after the transaction ended failed; the session's locks end with it", e);
            }
        }
        afterEnd = null;
    }

    /** A query that writes (INSERT/UPDATE ... RETURNING): refused in read-only transactions, reported as an UPDATE. */
    <T> List<T> queryWriting(String sql, Object[] args, RowMapper<T> mapper) {
        checkWritable(sql);
        return run(SqlStatement.Kind.UPDATE, sql, args, 1, ps -> {
            Parameters.bind(ps, dialect, sql, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>(1);
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }, List::size);
    }

    /** Refuses a write in a read-only transaction, naming the operation. */
    void checkWritableFor(String what) {
        checkWritable(what);
    }

    /** True when each statement commits on its own, so no lock outlives its statement. */
    boolean runsEachStatementAlone() {
        return boundary == Boundary.AUTOCOMMIT;
    }

    /** Refuses a locking read where the lock would protect nothing. */
    void checkLockingRead(String what) {
        if (readOnly) {
            throw new HoldfastException(what + " in db.read(...): a lock taken by a read-only transaction "
                    + (dialect instanceof SqliteDialect
                    ? "cannot keep SQLite's writers out. Use db.transact(...), whose write transaction already holds "
                    + "SQLite's write lock"
                    : "would protect a write that cannot happen. Use db.transact(...)"));
        }
        if (boundary == Boundary.AUTOCOMMIT) {
            throw new HoldfastException(what + " needs a transaction: outside one the lock ends with the statement. "
                    + "Use db.transact(...)");
        }
    }

    // ------------------------------------------------------------------------------------------------ internal view

    /** This transaction as the engines and the record operations see it (none of it is public API). */
    Session session() {
        return session;
    }

    /** The transaction behind a session made by {@link #session()}. */
    static Transaction of(Session session) {
        return ((Control) session).transaction();
    }

    private final class Control implements Session {
        Transaction transaction() {
            return Transaction.this;
        }

        @Override
        public void enter() {
            db.enter(Transaction.this);
        }

        @Override
        public void exit() {
            db.exit(Transaction.this);
        }

        @Override
        public void begin() {
            Transaction.this.begin();
        }

        @Override
        public void commit() {
            Transaction.this.commit();
        }

        @Override
        public boolean rollback(Throwable cause) {
            return Transaction.this.rollback(cause);
        }

        @Override
        public void close() {
            Transaction.this.close();
        }

        @Override
        public List<Runnable> afterCommitActions() {
            return Transaction.this.afterCommitActions();
        }

        @Override
        public Session cachingStatements(PreparedStatements cache) {
            Transaction.this.cachingStatements(cache);
            return this;
        }

        @Override
        public Session connectionAt(int jdbcLevel) {
            Transaction.this.connectionAt(jdbcLevel);
            return this;
        }

        @Override
        public Dialect dialect() {
            return dialect;
        }

        @Override
        public boolean isReadOnly() {
            return readOnly;
        }

        @Override
        public boolean runsEachStatementAlone() {
            return Transaction.this.runsEachStatementAlone();
        }

        @Override
        public void checkWritableFor(String what) {
            Transaction.this.checkWritableFor(what);
        }

        @Override
        public void checkLockingRead(String what) {
            Transaction.this.checkLockingRead(what);
        }

        @Override
        public int execute(String sql, Object... args) {
            return Transaction.this.execute(sql, args);
        }

        @Override
        public int[] executeBatch(String sql, List<Object[]> rows) {
            return Transaction.this.executeBatch(sql, rows);
        }

        @Override
        public <T> List<T> query(RowMapper<T> mapper, String sql, Object... args) {
            return Transaction.this.query(mapper, sql, args);
        }

        @Override
        public <T> List<T> queryCatalogue(RowMapper<T> mapper, String sql, Object... args) {
            // Listeners still see it (a log shows the look-up); only JDBC-level wrappers do not.
            SqlStatement st = null;
            if (db.listening()) {
                st = new SqlStatement(SqlStatement.Kind.QUERY, sql, Parameters.asList(args), 0, listenedAttempt());
                db.fireBefore(st);
            }
            long start = System.nanoTime();
            try {
                java.sql.Connection own = connection.getMetaData().getConnection();
                try (java.sql.PreparedStatement ps = own.prepareStatement(sql)) {
                    Parameters.bind(ps, dialect, sql, args);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        List<T> rows = new java.util.ArrayList<>();
                        while (rs.next()) {
                            rows.add(mapper.map(rs));
                        }
                        if (st != null) {
                            db.fireAfter(st, start, rows.size(), null);
                        }
                        return rows;
                    }
                }
            } catch (SQLException e) {
                HoldfastException failure = dialect.translate(e, sql);
                if (st != null) {
                    db.fireAfter(st, start, -1, failure);
                }
                throw failure;
            }
        }

        @Override
        public <T> Optional<T> queryOne(RowMapper<T> mapper, String sql, Object... args) {
            return Transaction.this.queryOne(mapper, sql, args);
        }

        @Override
        public <T> T queryScalar(Class<T> type, String sql, Object... args) {
            return Transaction.this.queryScalar(type, sql, args);
        }

        @Override
        public <T> List<T> queryWriting(String sql, Object[] args, RowMapper<T> mapper) {
            return Transaction.this.queryWriting(sql, args, mapper);
        }

        @Override
        public java.util.concurrent.ConcurrentMap<Object, Object> databaseMemo() {
            return db.recordMemo();
        }

        @Override
        public void afterEnd(EndAction action) {
            Transaction.this.afterEnd(action);
        }
    }
}
