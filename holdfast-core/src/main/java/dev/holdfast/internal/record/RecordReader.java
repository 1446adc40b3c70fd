package dev.holdfast.internal.record;

import dev.holdfast.error.MappingException;
import dev.holdfast.internal.RowMapper;
import dev.holdfast.internal.dialect.Dialect;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps rows to records. For Holdfast's own statements the columns come in component order; for a user's query the
 * column of each component is found once from the {@link ResultSetMetaData} of the result, then every row is read by
 * index with typed getters and one constructor call.
 */
public final class RecordReader<T> implements RowMapper<T> {
    private final RecordType<T> type;
    private final RecordSql sql;
    private int[] columnOf;    // component index -> 1-based column; null until resolved

    private RecordReader(RecordType<T> type, RecordSql sql, int[] columnOf) {
        this.type = type;
        this.sql = sql;
        this.columnOf = columnOf;
    }

    /**
     * For statements that select {@link RecordSql#columns}: column i+1 is component i. Such a reader never changes,
     * so one per record type and database is made and shared (it is on the path of every read and write by id).
     */
    @SuppressWarnings("unchecked")
    public static <T> RecordReader<T> inOrder(RecordType<T> type, Dialect dialect) {
        RecordSql sql = type.sql(dialect);
        RecordReader<?> r = sql.inOrderReader;
        if (r == null) {
            int[] identity = new int[type.fields.length];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i + 1;
            }
            r = sql.inOrderReader = new RecordReader<>(type, sql, identity);
        }
        return (RecordReader<T>) r;
    }

    /** For any query: columns are matched to components by label when the first row arrives. */
    public static <T> RecordReader<T> byLabel(Class<T> recordClass, Dialect dialect) {
        RecordType<T> type = RecordType.of(recordClass);
        return new RecordReader<>(type, type.sql(dialect), null);
    }

    @Override
    public T map(ResultSet rs) throws SQLException {
        int[] columns = columnOf;
        if (columns == null) {
            columns = columnOf = resolve(rs.getMetaData());
        }
        RecordType.Field[] fields = type.fields;
        ColumnReader[] readers = sql.readers;
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object v = readers[i].read(rs, columns[i]);
            if (v == null && fields[i].primitive()) {
                throw new MappingException("Column " + fields[i].column() + " is NULL but " + type.type.getSimpleName()
                        + "." + fields[i].name() + " is a primitive " + fields[i].type().getName() + "; declare it as "
                        + "its box (e.g. Integer) to allow NULL, or select coalesce(" + fields[i].column() + ", 0)");
            }
            values[i] = v;
        }
        return type.construct(values);
    }

    private int[] resolve(ResultSetMetaData md) throws SQLException {
        Map<String, Integer> byLabel = new HashMap<>();
        int n = md.getColumnCount();
        for (int c = n; c >= 1; c--) {     // backwards, so the first of two equal labels wins
            byLabel.put(md.getColumnLabel(c).toLowerCase(Locale.ROOT), c);
        }
        int[] out = new int[type.fields.length];
        for (RecordType.Field f : type.fields) {
            Integer c = byLabel.get(f.column().toLowerCase(Locale.ROOT));
            if (c == null) {
                c = byLabel.get(f.name().toLowerCase(Locale.ROOT));
            }
            if (c == null) {
                throw new MappingException("The query returned no column for " + type.type.getSimpleName() + "."
                        + f.name() + " (looked for " + f.column() + "); it returned " + byLabel.keySet()
                        + ". Select that column, or alias one: `... as " + f.column() + "`");
            }
            out[f.index()] = c;
        }
        return out;
    }
}
