package dev.holdfast.internal.record;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.internal.Session;
import dev.holdfast.record.Condition;
import dev.holdfast.record.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The record operations of {@link dev.holdfast.Transaction}: reads by id and every write. Each write is one statement
 * (or a locked
 * read and one statement, for {@code modify}), and each one that changes a versioned row bumps its version, so an
 * optimistic {@code update} can always tell that the row moved on.
 *
 * <p>Writes return the row as the database stored it: {@code RETURNING} on PostgreSQL and SQLite (and for MariaDB's
 * INSERT); MariaDB has no {@code UPDATE ... RETURNING}, so there the row is read again in the same transaction, where
 * the write's row lock makes that read exactly the row just written.
 */
public final class RecordWrites {
    private RecordWrites() {
    }

    // ------------------------------------------------------------------------------------------------------ reads

    public static <T> Optional<T> find(Session tx, Class<T> recordClass, Object id) {
        RecordType<T> type = RecordType.of(recordClass);
        if (type.id == null || type.table == null) {
            type.requireId("find(" + recordClass.getSimpleName() + ".class, id)");
        }
        TableShape.of(tx, type, "find");
        Objects.requireNonNull(id, "id");
        return tx.queryOne(RecordReader.inOrder(type, tx.dialect()), type.sql(tx.dialect()).selectById(), id);
    }

    public static <T> T get(Session tx, Class<T> recordClass, Object id) {
        return find(tx, recordClass, id).orElseThrow(() -> notFound(RecordType.of(recordClass), id));
    }

    public static <T> T reload(Session tx, T snapshot) {
        RecordType<T> type = RecordType.ofInstance(snapshot);
        Object id = type.requireId("reload(snapshot)").get(snapshot);
        return get(tx, type.type, id);
    }

    // ----------------------------------------------------------------------------------------------------- writes

    public static <T> T insert(Session tx, T record) {
        RecordType<T> type = RecordType.ofInstance(record);
        TableShape.of(tx, type, "insert(" + type.type.getSimpleName() + ")");
        Object[] values = type.values(record);
        boolean withId = type.id == null || values[type.id.index()] != null;
        Object[] args = withId ? values : without(values, type.id.index());
        List<T> rows = tx.queryWriting(type.sql(tx.dialect()).insert(withId), args,
                RecordReader.inOrder(type, tx.dialect()));
        return rows.get(0);
    }

    public static <T> int insertAll(Session tx, Collection<? extends T> records) {
        if (records.isEmpty()) {
            return 0;
        }
        RecordType<?> type = RecordType.ofInstance(records.iterator().next());
        TableShape.of(tx, type, "insertAll(...)");
        RecordSql sql = type.sql(tx.dialect());
        List<Object> withId = new ArrayList<>();
        List<Object> generated = new ArrayList<>();
        for (T record : records) {
            if (record == null || record.getClass() != type.type) {
                throw new IllegalArgumentException("insertAll(...) takes records of one type, "
                        + type.type.getSimpleName() + "; got " + (record == null ? "null" : record.getClass().getName()));
            }
            if (type.id == null || type.id.get(record) != null) {
                withId.add(record);
            } else {
                generated.add(record);
            }
        }
        int n = 0;
        if (!withId.isEmpty()) {
            n += insertRows(tx, type, sql, true, withId);
        }
        if (!generated.isEmpty()) {
            n += insertRows(tx, type, sql, false, generated);
        }
        return n;
    }

    /**
     * Inserts records of one type as JDBC batches: of multi-row INSERTs ({@link RecordSql#insertRows}) for whole chunks
     * of rows on SQLite, of single-row INSERTs for the rest (and on the servers). Each record's values are read into
     * the batch's arrays directly, without an array of their own per row.
     */
    private static int insertRows(Session tx, RecordType<?> type, RecordSql sql, boolean withId,
                                  List<Object> records) {
        RecordType.Field skip = withId ? null : type.id;
        int columns = type.fields.length - (skip == null ? 0 : 1);
        int per = sql.rowsPerInsert(withId);
        int chunks = per > 1 ? records.size() / per : 0;
        int n = 0;
        if (chunks > 0) {
            List<Object[]> packed = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                Object[] values = new Object[per * columns];
                for (int r = 0; r < per; r++) {
                    fill(type, records.get(c * per + r), skip, values, r * columns);
                }
                packed.add(values);
            }
            for (int c : tx.executeBatch(sql.insertRows(withId), packed)) {
                n += c == java.sql.Statement.SUCCESS_NO_INFO ? per : Math.max(c, 0);
            }
        }
        int rest = records.size() - chunks * per;
        if (rest > 0) {
            List<Object[]> rows = new ArrayList<>(rest);
            for (int i = chunks * per; i < records.size(); i++) {
                Object[] values = new Object[columns];
                fill(type, records.get(i), skip, values, 0);
                rows.add(values);
            }
            n += sum(tx.executeBatch(sql.insertPlain(withId), rows));
        }
        return n;
    }

    /** Puts a record's component values, in component order and without {@code skip}, into {@code out} at {@code at}. */
    private static void fill(RecordType<?> type, Object record, RecordType.Field skip, Object[] out, int at) {
        for (RecordType.Field f : type.fields) {
            if (f != skip) {
                out[at++] = f.get(record);
            }
        }
    }

    /**
     * A locked read-modify-write: the row is read with {@code FOR UPDATE} (on SQLite the write transaction already
     * excludes every other writer), {@code change} computes the new snapshot, and only the columns it changed are
     * written, with the version bumped.
     */
    public static <T> T modify(Session tx, Class<T> recordClass, Object id, UnaryOperator<T> change) {
        RecordType<T> type = RecordType.of(recordClass);
        // the operation's name for messages, formatted only when one is needed (issue 18: per-call work)
        AtomicUpdate.What what = new AtomicUpdate.What("modify", recordClass, id);
        if (type.id == null || type.table == null) {
            type.requireId(what.toString());
        }
        TableShape shape = TableShape.of(tx, type, what);
        if (tx.isReadOnly()) {
            tx.checkWritableFor(what.toString());
        }
        RecordSql sql = type.sql(tx.dialect());
        T before = tx.queryOne(RecordReader.inOrder(type, tx.dialect()), sql.selectByIdForUpdate(), id)
                .orElseThrow(() -> notFound(type, id));
        T after = change.apply(before);
        if (after == null) {
            throw new HoldfastException(what + ": the function returned null; return the changed snapshot (or the "
                    + "one it was given, to change nothing). To delete the row use delete(...)");
        }
        Object[] old = type.values(before);
        Object[] now = type.values(after);
        if (!Objects.equals(old[type.id.index()], now[type.id.index()])) {
            throw new HoldfastException(what + ": the function changed the @Id from " + old[type.id.index()] + " to "
                    + now[type.id.index()] + "; a row's key cannot change through modify. Insert a new row instead");
        }
        if (type.version != null && !Objects.equals(old[type.version.index()], now[type.version.index()])) {
            throw new HoldfastException(what + ": the function changed the @Version; Holdfast bumps it on every "
                    + "write, leave it as it was read");
        }
        int changedCount = 0;
        boolean exact = true;
        for (RecordType.Field f : type.fields) {
            if (!same(old[f.index()], now[f.index()])) {
                changedCount++;
                exact &= storedAsWritten(f);
            }
        }
        if (changedCount == 0) {
            return before;
        }
        if (!sql.updateReturning && exact && type.fields.length <= 64) {
            // MariaDB has no RETURNING. Under this transaction's row lock the row now holds exactly what was read, with
            // the changed columns as bound (whole numbers, booleans and enum names are stored exactly as sent) and
            // the version one up: it is known without the re-read that made modify 0.82x of a hand-written
            // SELECT ... FOR UPDATE + UPDATE (issue 18). The UPDATE's text is built once per set of changed columns.
            long mask = 0;
            Object[] args = new Object[changedCount + 1];
            int k = 0;
            for (RecordType.Field f : type.fields) {
                if (!same(old[f.index()], now[f.index()])) {
                    mask |= 1L << f.index();
                    args[k++] = now[f.index()];
                }
            }
            args[k] = id;
            if (tx.execute(sql.updateChanged(mask), args) == 0) {
                throw new HoldfastException(what + ": the row locked by this transaction vanished");
            }
            return type.version == null ? after : withVersion(type, now, old[type.version.index()]);
        }
        List<AtomicUpdate.Term> set = new ArrayList<>(changedCount);
        List<Object> args = new ArrayList<>(changedCount + 1);
        for (RecordType.Field f : type.fields) {
            if (!same(old[f.index()], now[f.index()])) {
                set.add(new AtomicUpdate.Term(f, "?"));
                args.add(now[f.index()]);
            }
        }
        return AtomicUpdate.write(tx, type, shape, set, args, id, null, null, List.of())
                .orElseThrow(() -> new HoldfastException(what + ": the row locked by this transaction vanished"));
    }

    /**
     * An optimistic write of a snapshot: {@code UPDATE ... WHERE id = ? AND version = ?}. Every column but the id is
     * written, and that is exactly the changed columns: the version check guarantees the row still holds the values
     * the snapshot was read with, so the columns the caller did not change are written with the values already there.
     * No read before the write; a stale snapshot costs one read, to report the current row.
     */
    public static <T> T update(Session tx, T snapshot) {
        RecordType<T> type = RecordType.ofInstance(snapshot);
        RecordType.Field version = type.requireVersion(type.type.getSimpleName());
        TableShape shape = TableShape.of(tx, type, "update(" + type.type.getSimpleName() + ")");
        Object[] values = type.values(snapshot);
        Object id = values[type.id.index()];
        if (id == null) {
            throw new HoldfastException("update(" + type.type.getSimpleName() + ") needs the snapshot's @Id; this one "
                    + "has none. Insert it with insert(...) first");
        }
        List<AtomicUpdate.Term> set = new ArrayList<>(values.length);
        List<Object> args = new ArrayList<>(values.length);
        for (RecordType.Field f : type.fields) {
            if (f != type.id && f != version) {
                set.add(new AtomicUpdate.Term(f, "?"));
                args.add(values[f.index()]);
            }
        }
        Object readVersion = values[version.index()];
        Optional<T> written = AtomicUpdate.write(tx, type, shape, set, args, id, readVersion, null, List.of());
        if (written.isPresent()) {
            return written.get();
        }
        T current = find(tx, type.type, id).orElse(null);
        String now = current == null ? "it has been deleted"
                : "it is now at version " + version.get(current);
        throw new StaleWriteException(type.describe(id) + " was changed by another transaction since version "
                + readVersion + " was read (" + now + "); nothing was written. Re-read it (db.reload(snapshot)) and "
                + "apply the change again, or use modify(" + type.type.getSimpleName() + ".class, id, fn), which "
                + "locks the row while it changes it", snapshot, current);
    }

    /** {@code UPDATE ... SET column = expression, ...} in one statement; the new row comes back. */
    public static <T> T update(Session tx, Class<T> recordClass, Object id, Update.Assignment<?>... assignments) {
        AtomicUpdate.What what = new AtomicUpdate.What("update", recordClass, id);
        return AtomicUpdate.byId(tx, recordClass, id, null, assignments, what)
                .orElseThrow(() -> AtomicUpdate.notFound(RecordType.of(recordClass), id));
    }

    /** The atomic update, only where {@code condition} holds on the row; empty when it did not (or no such row). */
    public static <T> Optional<T> updateIf(Session tx, Class<T> recordClass, Object id, Condition<?> condition,
                                           Update.Assignment<?>... assignments) {
        AtomicUpdate.What what = new AtomicUpdate.What("updateIf", recordClass, id);
        return AtomicUpdate.byId(tx, recordClass, id, Objects.requireNonNull(condition, "condition"), assignments,
                what);
    }

    /** The atomic update without reading the row back; true when a row was written. */
    public static <T> boolean apply(Session tx, Class<T> recordClass, Object id, Condition<?> condition,
                                    Update.Assignment<?>... assignments) {
        AtomicUpdate.What what = new AtomicUpdate.What(condition == null ? "apply" : "applyIf", recordClass, id);
        return AtomicUpdate.apply(tx, recordClass, id, condition, assignments, what);
    }

    /**
     * True when an atomic or optimistic update of {@code recordClass} can run on its own (autocommit) on MariaDB and
     * still return the new row; see {@link AtomicUpdate}.
     */
    public static boolean capturesAlone(java.util.concurrent.ConcurrentMap<Object, Object> memo, Class<?> recordClass) {
        return AtomicUpdate.capturesAlone(memo, recordClass);
    }

    /** Whether {@code recordClass}'s table has been checked on the database whose memo this is. */
    public static boolean tableChecked(java.util.concurrent.ConcurrentMap<Object, Object> memo, Class<?> recordClass) {
        return memo.get(RecordType.of(recordClass)) instanceof TableShape;
    }

    /** Checks {@code recordClass}'s table now (a catalogue look-up, no statement of the caller's), once per database. */
    public static void checkTable(Session tx, Class<?> recordClass) {
        TableShape.of(tx, RecordType.of(recordClass), "update(" + recordClass.getSimpleName() + ")");
    }

    public static <T> T upsert(Session tx, T record) {
        RecordType<T> type = RecordType.ofInstance(record);
        RecordType.Field id = type.requireId("upsert(" + type.type.getSimpleName() + ")");
        TableShape.of(tx, type, "upsert(" + type.type.getSimpleName() + ")");
        Object[] values = type.values(record);
        if (values[id.index()] == null) {
            throw new HoldfastException("upsert(" + type.type.getSimpleName() + ") needs the @Id set: the key decides "
                    + "between insert and update. For a generated key use insert(...)");
        }
        List<T> rows = tx.queryWriting(type.sql(tx.dialect()).upsert(), values, RecordReader.inOrder(type, tx.dialect()));
        return rows.isEmpty() ? get(tx, type.type, values[id.index()]) : rows.get(0);
    }

    /**
     * Deletes the snapshot's row. With a {@link dev.holdfast.record.Version}, only if the row is still at that version
     * ({@link StaleWriteException} otherwise).
     *
     * @return false when there was no such row any more
     */
    public static <T> boolean delete(Session tx, T snapshot) {
        RecordType<T> type = RecordType.ofInstance(snapshot);
        RecordType.Field id = type.requireId("delete(" + type.type.getSimpleName() + ")");
        TableShape.of(tx, type, "delete(" + type.type.getSimpleName() + ")");
        Object idValue = id.get(snapshot);
        RecordSql sql = type.sql(tx.dialect());
        if (type.version == null) {
            return tx.execute(sql.delete(false), idValue) > 0;
        }
        Object readVersion = type.version.get(snapshot);
        if (tx.execute(sql.delete(true), idValue, readVersion) > 0) {
            return true;
        }
        T current = find(tx, type.type, idValue).orElse(null);
        if (current == null) {
            return false;
        }
        throw new StaleWriteException(type.describe(idValue) + " was changed by another transaction since version "
                + readVersion + " was read (it is now at version " + type.version.get(current) + "); it was not "
                + "deleted. Re-read it and decide again", snapshot, current);
    }

    public static <T> boolean delete(Session tx, Class<T> recordClass, Object id) {
        RecordType<T> type = RecordType.of(recordClass);
        type.requireId("delete(" + recordClass.getSimpleName() + ".class, id)");
        TableShape.of(tx, type, "delete(" + recordClass.getSimpleName() + ".class, id)");
        return tx.execute(type.sql(tx.dialect()).delete(false), id) > 0;
    }

    // -------------------------------------------------------------------------------------------------- internals

    /** True when the database stores the component's value exactly as bound, so the written row is known. */
    private static boolean storedAsWritten(RecordType.Field f) {
        Class<?> t = f.type();
        return t == long.class || t == Long.class || t == int.class || t == Integer.class
                || t == short.class || t == Short.class || t == byte.class || t == Byte.class
                || t == boolean.class || t == Boolean.class || t.isEnum();
    }

    /** The record with these values and its version one up from {@code readVersion}. */
    private static <T> T withVersion(RecordType<T> type, Object[] values, Object readVersion) {
        Object[] out = values.clone();
        Object next = readVersion instanceof Integer i ? (Object) (i + 1) : (Object) (((Number) readVersion).longValue() + 1);
        out[type.version.index()] = next;
        return type.construct(out);
    }

    private static NotFoundException notFound(RecordType<?> type, Object id) {
        return new NotFoundException("No " + type.describe(id) + " in table " + type.table
                + "; use find(...) for an Optional when the row may be absent");
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    private static Object[] without(Object[] values, int index) {
        Object[] out = new Object[values.length - 1];
        System.arraycopy(values, 0, out, 0, index);
        System.arraycopy(values, index + 1, out, index, values.length - index - 1);
        return out;
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(c, 0);
        }
        return n;
    }
}
