package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.record.RecordColumns;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Edit sessions that live for hours: a {@link Draft} records changes to records as rows in the database, shows them
 * to its owner, undoes and redoes them, and applies them in one short transaction on {@link Draft#commit()}, merging
 * column by column with what others committed meanwhile. No database transaction stays open between requests.
 *
 * <pre>{@code
 * Drafts drafts = Drafts.on(db).createTables();  // once at start-up, or create them with your migrations
 * Draft draft = drafts.open("alice");
 * draft.modify(Product.class, 7L, p -> p.withPrice(new BigDecimal("9.90")));
 * String id = draft.id();                        // keep it in the session; later, in another request:
 * Draft same = drafts.resume(id);
 * same.commit();                                 // or same.cancel()
 * }</pre>
 *
 * <p>Thread-safe; keep one per {@link Database}. The tables are {@code holdfast_draft}, {@code holdfast_draft_operation}
 * and {@code holdfast_draft_value}; docs/drafts.md gives their DDL for each database.
 */
public final class Drafts {
    final Database db;
    final Clock clock;
    final Dialect dialect;
    private final DraftTables tables;
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

    private Drafts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.dialect = dialect(db);
        this.tables = new DraftTables(dialect.name());
    }

    /**
     * Drafts stored in this database, in the tables {@link #createTables()} makes (or your migrations, with the DDL
     * in docs/drafts.md). Sends nothing to the database, except, for a database built on a
     * {@link javax.sql.DataSource}, one query to learn which database it is.
     */
    public static Drafts on(Database db) {
        return new Drafts(db, Clock.systemUTC());
    }

    /**
     * Creates the three draft tables and their index when they are missing ({@code create table if not exists}). Call
     * it once at start-up, not from many threads at once: PostgreSQL can fail two concurrent
     * {@code create table if not exists} of one table.
     *
     * <pre>{@code Drafts drafts = Drafts.on(db).createTables();}</pre>
     *
     * @return this
     */
    public Drafts createTables() {
        for (String ddl : DraftTables.ddl(tables().databaseName)) {
            db.execute(ddl);
        }
        return this;
    }

    /** With another clock for the idle times ({@link #expire}); for tests. */
    static Drafts on(Database db, Clock clock) {
        return new Drafts(db, clock);
    }

    /**
     * Opens a new, empty draft for {@code owner} (a user id, a session id: any text up to 200 characters).
     *
     * <pre>{@code Draft draft = drafts.open(user.id());}</pre>
     */
    public Draft open(String owner) {
        if (owner == null || owner.isEmpty() || owner.length() > 200) {
            throw new IllegalArgumentException("A draft's owner must be 1 to 200 characters, got "
                    + (owner == null ? "null" : owner.length() + " characters"));
        }
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        db.useTransaction(tx -> tables().create(tx, id, owner, now));
        return new Draft(this, id, owner, 0);
    }

    /**
     * The open draft with this id, from any thread or process.
     *
     * @throws DraftClosedException when it was committed, cancelled or expired, or never existed
     */
    public Draft resume(String draftId) {
        DraftTables.State s = db.read(tx -> tables().read(tx, draftId)).orElseThrow(() -> new DraftClosedException(
                "There is no draft " + draftId + ": it expired, or the id is wrong. Open a new one with "
                        + "drafts.open(owner)"));
        if (!s.state().equals(DraftTables.OPEN)) {
            throw new DraftClosedException("Draft " + draftId + " is " + s.state().toLowerCase(java.util.Locale.ROOT)
                    + "; open a new one with drafts.open(owner)");
        }
        return new Draft(this, draftId, s.owner(), s.revision());
    }

    /** The open drafts of {@code owner}, oldest first. */
    public List<Draft> list(String owner) {
        List<Draft> out = new ArrayList<>();
        for (String id : db.read(tx -> tables().openIds(tx, owner))) {
            try {
                out.add(resume(id));
            } catch (DraftClosedException closedMeanwhile) {
                // committed or cancelled between the two reads: no longer open, so not listed
            }
        }
        return out;
    }

    /**
     * Deletes every draft nobody has touched (recorded, undone, redone, committed, cancelled) for longer than
     * {@code idleFor}, with its operations. An open draft expired this way is gone: resuming it throws
     * {@link DraftClosedException}. Committed and cancelled drafts are kept as markers (without operations) until
     * they expire too.
     *
     * <pre>{@code int gone = drafts.expire(Duration.ofDays(7));   // e.g. from a nightly job}</pre>
     *
     * @return how many drafts were deleted
     */
    public int expire(Duration idleFor) {
        if (idleFor == null || idleFor.isNegative()) {
            throw new IllegalArgumentException("expire(idleFor) needs a duration of zero or more, got " + idleFor);
        }
        long cutoff = clock.millis() - idleFor.toMillis();
        return db.transact(tx -> tables().expire(tx, cutoff));
    }

    // ------------------------------------------------------------------------------------------------- internals

    DraftTables tables() {
        return tables;
    }

    /** From the URL, or, for a database built on a {@link javax.sql.DataSource} (no URL), the driver's product name. */
    private static Dialect dialect(Database db) {
        String url = db.url();
        Dialect dialect = url != null && !url.equals("null") ? Dialect.forUrl(url)
                : Dialect.forProductName(db.queryOne(rs -> rs.getStatement().getConnection().getMetaData()
                .getDatabaseProductName(), "select 1").orElseThrow());
        return dialect;
    }

    /** What the operations add up to, row by row, in the order rows were first touched. */
    Map<String, RowChange> fold(List<Operation> operations) {
        Map<String, RowChange> rows = new LinkedHashMap<>();
        for (Operation op : operations) {
            String key = op.table() + '\u0001' + op.rowId();
            RowChange rc = rows.get(key);
            if (rc == null) {
                RecordColumns<?> cols = RecordColumns.of(recordClass(op.recordClass()));
                rc = new RowChange(cols, op.table(), op.rowId(), ValueText.decode(op.rowId(), cols.idType()));
                rows.put(key, rc);
            }
            if (!rc.apply(op)) {
                rows.remove(key);
            }
        }
        return rows;
    }

    private Class<?> recordClass(String name) {
        return classes.computeIfAbsent(name, n -> {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            try {
                return Class.forName(n, false, context != null ? context : Drafts.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                try {
                    return Class.forName(n, false, Drafts.class.getClassLoader());
                } catch (ClassNotFoundException again) {
                    throw new IllegalStateException("A draft holds changes to records of class " + n + ", which this "
                            + "program cannot load. Resume drafts in a program that has the record classes on its "
                            + "class path (a record class that was renamed needs its old name kept until its drafts "
                            + "are committed or expired)", again);
                }
            }
        });
    }
}
