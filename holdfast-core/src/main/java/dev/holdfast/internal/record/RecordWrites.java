package dev.holdfast.internal.record;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.error.StaleWriteException;
import dev.holdfast.internal.LockWait;
import dev.holdfast.internal.RowLock;
import dev.holdfast.internal.Session;
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
        type.requireId("find(" + recordClass.getSimpleName() + ".class, id)");
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
        type.requireTable("insert(" + type.type.getSimpleName() + ")");
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
        type.requireTable("insertAll(...)");
        RecordSql sql = type.sql(tx.dialect());
        List<Object[]> withId = new ArrayList<>();
        List<Object[]> generated = new ArrayList<>();
        for (T record : records) {
            if (record == null || record.getClass() != type.type) {
                throw new IllegalArgumentException("insertAll(...) takes records of one type, "
                        + type.type.getSimpleName() + "; got " + (record == null ? "null" : record.getClass().getName()));
            }
            Object[] values = valuesOf(type, record);
            if (type.id == null || values[type.id.index()] != null) {
                withId.add(values);
            } else {
                generated.add(without(values, type.id.index()));
            }
        }
        int n = 0;
        if (!withId.isEmpty()) {
            n += sum(tx.executeBatch(sql.insertPlain(true), withId));
        }
        if (!generated.isEmpty()) {
            n += sum(tx.executeBatch(sql.insertPlain(false), generated));
        }
        return n;
    }

    /**
     * A locked read-modify-write: the row is read with {@code FOR UPDATE} (on SQLite the write transaction already
     * excludes every other writer), {@code change} computes the new snapshot, and only the columns it changed are
     * written, with the version bumped.
     */
    public static <T> T modify(Session tx, Class<T> recordClass, Object id, UnaryOperator<T> change) {
        RecordType<T> type = RecordType.of(recordClass);
        String what = "modify(" + recordClass.getSimpleName() + ".class, " + id + ", ...)";
        type.requireId(what);
        tx.checkWritableFor(what);
        RecordSql sql = type.sql(tx.dialect());
        T before = tx.queryOne(RecordReader.inOrder(type, tx.dialect()),
                sql.selectById() + sql.lockSuffix(RowLock.UPDATE, LockWait.WAIT), id)
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
        List<RecordType.Field> changed = new ArrayList<>();
        for (RecordType.Field f : type.fields) {
            if (!same(old[f.index()], now[f.index()])) {
                changed.add(f);
            }
        }
        if (changed.isEmpty()) {
            return before;
        }
        StringBuilder set = new StringBuilder();
        List<Object> args = new ArrayList<>(changed.size() + 1);
        for (RecordType.Field f : changed) {
            set.append(set.length() == 0 ? "" : ", ").append(sql.quote(f.column())).append(" = ?");
            args.add(now[f.index()]);
        }
        return writeById(tx, type, set, args, id, null)
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
        RecordSql sql = type.sql(tx.dialect());
        Object[] values = type.values(snapshot);
        Object id = values[type.id.index()];
        if (id == null) {
            throw new HoldfastException("update(" + type.type.getSimpleName() + ") needs the snapshot's @Id; this one "
                    + "has none. Insert it with insert(...) first");
        }
        StringBuilder set = new StringBuilder();
        List<Object> args = new ArrayList<>(values.length);
        for (RecordType.Field f : type.fields) {
            if (f != type.id && f != version) {
                set.append(set.length() == 0 ? "" : ", ").append(sql.quote(f.column())).append(" = ?");
                args.add(values[f.index()]);
            }
        }
        Object readVersion = values[version.index()];
        Optional<T> written = writeById(tx, type, set, args, id, readVersion);
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
    public static <T> T update(Session tx, Class<T> recordClass, Object id, Update.Assignment... assignments) {
        RecordType<T> type = RecordType.of(recordClass);
        String what = "update(" + recordClass.getSimpleName() + ".class, " + id + ", ...)";
        type.requireId(what);
        if (assignments == null || assignments.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one set(...)");
        }
        RecordSql sql = type.sql(tx.dialect());
        StringBuilder set = new StringBuilder();
        List<Object> args = new ArrayList<>();
        for (Update.Assignment a : assignments) {
            RecordType.Field f = type.field(a.column());
            if (f == type.id) {
                throw new HoldfastException(what + " cannot set the @Id " + f.name());
            }
            if (f == type.version) {
                throw new HoldfastException(what + " cannot set the @Version " + f.name()
                        + "; Holdfast bumps it on every write");
            }
            String c = sql.quote(f.column());
            set.append(set.length() == 0 ? "" : ", ").append(c).append(" = ");
            Update.Expression e = a.expression();
            if (e instanceof Update.Value v) {
                set.append('?');
                args.add(v.value());
            } else if (e instanceof Update.Plus p) {
                set.append(c).append(" + ?");
                args.add(p.amount());
            } else if (e instanceof Update.Minus m) {
                set.append(c).append(" - ?");
                args.add(m.amount());
            } else if (e instanceof Update.Coalesce k) {
                set.append("COALESCE(").append(c).append(", ?)");
                args.add(k.fallback());
            } else if (e instanceof Update.Sql q) {
                set.append('(').append(q.sql()).append(')');
                args.addAll(Arrays.asList(q.args()));
            }
        }
        return writeById(tx, type, set, args, id, null).orElseThrow(() -> notFound(type, id));
    }

    public static <T> T upsert(Session tx, T record) {
        RecordType<T> type = RecordType.ofInstance(record);
        RecordType.Field id = type.requireId("upsert(" + type.type.getSimpleName() + ")");
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
        return tx.execute(type.sql(tx.dialect()).delete(false), id) > 0;
    }

    // -------------------------------------------------------------------------------------------------- internals

    /**
     * {@code UPDATE table SET <set>[, version = version + 1] WHERE id = ? [AND version = ?]}, returning the new row,
     * or empty when no row matched.
     */
    private static <T> Optional<T> writeById(Session tx, RecordType<T> type, StringBuilder set, List<Object> args,
                                             Object id, Object expectedVersion) {
        RecordSql sql = type.sql(tx.dialect());
        if (type.version != null) {
            String v = sql.quote(type.version.column());
            set.append(", ").append(v).append(" = ").append(v).append(" + 1");
        }
        StringBuilder statement = new StringBuilder("UPDATE ").append(sql.table).append(" SET ").append(set)
                .append(" WHERE ").append(sql.quote(type.id.column())).append(" = ?");
        args.add(id);
        if (expectedVersion != null) {
            statement.append(" AND ").append(sql.quote(type.version.column())).append(" = ?");
            args.add(expectedVersion);
        }
        RecordReader<T> reader = RecordReader.inOrder(type, tx.dialect());
        if (sql.updateReturning) {
            statement.append(" RETURNING ").append(sql.columns);
            List<T> rows = tx.queryWriting(statement.toString(), args.toArray(), reader);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
        if (tx.execute(statement.toString(), args.toArray()) == 0) {
            return Optional.empty();
        }
        return tx.queryOne(reader, sql.selectById(), id);
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

    @SuppressWarnings("unchecked")
    private static <R> Object[] valuesOf(RecordType<R> type, Object record) {
        return type.values((R) record);
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
