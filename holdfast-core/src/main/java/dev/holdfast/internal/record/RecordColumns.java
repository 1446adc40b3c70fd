package dev.holdfast.internal.record;

import dev.holdfast.internal.LockWait;
import dev.holdfast.internal.RowLock;
import dev.holdfast.internal.RowMapper;
import dev.holdfast.internal.dialect.Dialect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The record mapping seen from outside this package: a record class's table, columns, id and version, and building a
 * record from column values. Drafts use it to record and replay changes column by column without a second copy of
 * the record reflection.
 */
public final class RecordColumns<T> {
    private final RecordType<T> type;
    private final List<String> columns;

    private RecordColumns(RecordType<T> type) {
        this.type = type;
        List<String> c = new ArrayList<>(type.fields.length);
        for (RecordType.Field f : type.fields) {
            c.add(f.column());
        }
        this.columns = Collections.unmodifiableList(c);
    }

    public static <T> RecordColumns<T> of(Class<T> recordClass) {
        return new RecordColumns<>(RecordType.of(recordClass));
    }

    @SuppressWarnings("unchecked")
    public static <T> RecordColumns<T> ofInstance(T record) {
        return new RecordColumns<>(RecordType.ofInstance(record));
    }

    public Class<T> type() {
        return type.type;
    }

    /** The table; a MappingException naming {@code operation} when the record has no @Table or no @Id. */
    public String table(String operation) {
        type.requireId(operation);
        return type.table;
    }

    /** Column names in component order. */
    public List<String> columns() {
        return columns;
    }

    public String idColumn() {
        return type.id == null ? null : type.id.column();
    }

    /** The version column, or null when the record has no @Version. */
    public String versionColumn() {
        return type.version == null ? null : type.version.column();
    }

    public Class<?> columnType(int index) {
        return type.fields[index].type();
    }

    public Class<?> idType() {
        return type.id.type();
    }

    public Object[] values(T record) {
        return type.values(record);
    }

    @SuppressWarnings("unchecked")
    public Object[] valuesOf(Object record) {
        return type.values((T) record);
    }

    public Object id(Object record) {
        return type.id.get(record);
    }

    public int idIndex() {
        return type.id.index();
    }

    /** The index of the version component, or -1. */
    public int versionIndex() {
        return type.version == null ? -1 : type.version.index();
    }

    /** The component index of a column (or component) name; MappingException listing the columns when unknown. */
    public int index(String column) {
        return type.field(column).index();
    }

    public T construct(Object[] values) {
        return type.construct(values);
    }

    public String describe(Object id) {
        return type.describe(id);
    }

    // Statements for a draft's batched commit: a few statements for many rows of one table instead of one per row.

    /** Reads rows in {@link #columns()} order, as {@code SELECT} of {@link #selectByIdsForUpdate} returns them. */
    public RowMapper<T> reader(Dialect dialect) {
        return RecordReader.inOrder(type, dialect);
    }

    /**
     * {@code SELECT every column FROM table WHERE id IN (?, ... n times) ORDER BY id}, with the locking suffix of a
     * locked read ({@code FOR UPDATE}; nothing on SQLite, whose write transaction already excludes other writers).
     * The order makes two such reads lock shared rows in the same order.
     */
    public String selectByIdsForUpdate(Dialect dialect, int n) {
        RecordSql sql = type.sql(dialect);
        StringBuilder b = new StringBuilder(64 + 3 * n).append(sql.selectAll()).append(" WHERE ")
                .append(sql.quote(type.id.column())).append(" IN (");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "?" : ", ?");
        }
        String id = sql.quote(type.id.column());
        return b.append(") ORDER BY ").append(id).append(sql.lockSuffix(RowLock.UPDATE, LockWait.WAIT)).toString();
    }

    /**
     * {@code UPDATE table SET c1 = ?, c2 = ?[, version = version + 1] WHERE id = ?} for the given component indexes:
     * the statement of {@code modify} for these changed columns, to run as a batch (values, then the id).
     */
    public String updateColumns(Dialect dialect, List<Integer> indexes) {
        RecordSql sql = type.sql(dialect);
        List<AtomicUpdate.Term> terms = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            terms.add(new AtomicUpdate.Term(type.fields[i], "?"));
        }
        StringBuilder b = new StringBuilder(96).append("UPDATE ").append(sql.table).append(" SET ");
        AtomicUpdate.appendSet(b, sql, type, terms, null);
        return b.append(" WHERE ").append(sql.quote(type.id.column())).append(" = ?").toString();
    }

    /** {@code DELETE FROM table WHERE id = ?}. */
    public String deleteById(Dialect dialect) {
        return type.sql(dialect).delete(false);
    }
}
