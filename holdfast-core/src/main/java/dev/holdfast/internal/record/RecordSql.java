package dev.holdfast.internal.record;

import dev.holdfast.internal.LockWait;
import dev.holdfast.internal.RowLock;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.MariaDbDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.util.StringJoiner;

/**
 * The SQL text Holdfast sends for one record type on one database, built once: identifiers quoted by the dialect,
 * every value a {@code ?}. Statements select the record's columns in component order, so reading them needs no
 * lookup by name.
 */
final class RecordSql {
    final RecordType<?> type;
    final Dialect dialect;
    final ColumnReader[] readers;
    final String table;          // quoted, or null for a record without @Table
    final String columns;        // quoted, in component order
    final boolean updateReturning;   // UPDATE ... RETURNING: PostgreSQL and SQLite; MariaDB re-reads the row
    volatile RecordReader<?> inOrderReader;   // made on first use by RecordReader.inOrder (a race makes a spare one)
    private String selectById;
    private String selectByIdForUpdate;
    private volatile Changed changed = new Changed(new long[0], new String[0]);   // updateChanged's statements

    /** updateChanged's statements by the bits of their changed components; replaced whole, read without a lock. */
    private record Changed(long[] masks, String[] sql) {
    }
    private String insertAll;
    private String insertWithoutId;
    private String insertPlainAll;
    private String insertPlainWithoutId;
    private String insertRowsAll;
    private String insertRowsWithoutId;

    RecordSql(RecordType<?> type, Dialect dialect) {
        this.type = type;
        this.dialect = dialect;
        this.readers = new ColumnReader[type.fields.length];
        StringJoiner cols = new StringJoiner(", ");
        for (RecordType.Field f : type.fields) {
            readers[f.index()] = ColumnReader.of(f.type(), dialect);
            cols.add(quote(f.column()));
        }
        this.columns = cols.toString();
        this.table = type.table == null ? null : quote(type.table);
        this.updateReturning = !(dialect instanceof MariaDbDialect);
    }

    String quote(String identifier) {
        return dialect.quote(identifier);
    }

    String selectById() {
        String s = selectById;
        if (s == null) {
            s = selectById = "SELECT " + columns + " FROM " + table + " WHERE " + quote(type.id.column()) + " = ?";
        }
        return s;
    }

    /** {@code SELECT ... WHERE id = ? FOR UPDATE}, modify's locking read; built once. */
    String selectByIdForUpdate() {
        String s = selectByIdForUpdate;
        if (s == null) {
            s = selectByIdForUpdate = selectById() + lockSuffix(RowLock.UPDATE, LockWait.WAIT);
        }
        return s;
    }

    /**
     * {@code UPDATE table SET a = ?, b = ?[, version = version + 1] WHERE id = ?} for the components whose bits are
     * set in {@code mask} (component index = bit; records of up to 64 components), in component order: modify's write
     * of the changed columns. Built once per set of changed columns (up to 64 sets kept, then built per call).
     */
    String updateChanged(long mask) {
        Changed known = changed;
        for (int i = 0; i < known.masks.length; i++) {
            if (known.masks[i] == mask) {
                return known.sql[i];
            }
        }
        StringBuilder b = new StringBuilder(96).append("UPDATE ").append(table).append(" SET ");
        boolean first = true;
        for (RecordType.Field f : type.fields) {
            if ((mask & (1L << f.index())) != 0) {
                b.append(first ? "" : ", ").append(quote(f.column())).append(" = ?");
                first = false;
            }
        }
        if (type.version != null) {
            String v = quote(type.version.column());
            b.append(", ").append(v).append(" = ").append(v).append(" + 1");
        }
        String built = b.append(" WHERE ").append(quote(type.id.column())).append(" = ?").toString();
        synchronized (this) {
            Changed now = changed;
            if (now.masks.length < 64) {
                long[] masks = java.util.Arrays.copyOf(now.masks, now.masks.length + 1);
                String[] sql = java.util.Arrays.copyOf(now.sql, now.sql.length + 1);
                masks[now.masks.length] = mask;
                sql[now.masks.length] = built;
                changed = new Changed(masks, sql);
            }
        }
        return built;
    }

    /** {@code SELECT cols FROM table} for a select. */
    String selectAll() {
        return "SELECT " + columns + " FROM " + table;
    }

    /** INSERT of every column, or of every column but a null generated id; RETURNING the row as stored. */
    String insert(boolean withId) {
        if (withId || type.id == null) {
            String s = insertAll;
            return s != null ? s : (insertAll = buildInsert(true) + " RETURNING " + columns);
        }
        String s = insertWithoutId;
        return s != null ? s : (insertWithoutId = buildInsert(false) + " RETURNING " + columns);
    }

    /** INSERT without RETURNING, for JDBC batches; built once (it showed in a profile of insertAll). */
    String insertPlain(boolean withId) {
        if (withId || type.id == null) {
            String s = insertPlainAll;
            return s != null ? s : (insertPlainAll = buildInsert(true));
        }
        String s = insertPlainWithoutId;
        return s != null ? s : (insertPlainWithoutId = buildInsert(false));
    }

    /**
     * How many rows {@link #insertRows} inserts at once: on SQLite as many as keep the statement within 999 values
     * (the smallest limit any SQLite build has), at most {@value #MAX_ROWS_PER_INSERT}; 1 on the servers, whose drivers
     * rewrite or pipeline a batch themselves.
     */
    int rowsPerInsert(boolean withId) {
        if (!(dialect instanceof SqliteDialect)) {
            return 1;
        }
        int columns = type.fields.length - (withId || type.id == null ? 0 : 1);
        return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, 999 / Math.max(1, columns)));
    }

    static final int MAX_ROWS_PER_INSERT = 100;

    /**
     * {@code INSERT ... VALUES (?, ...), (?, ...), ...} of {@link #rowsPerInsert} rows, for {@code insertAll} on SQLite.
     * SQLite runs each statement of a JDBC batch from the start (bind, step, reset through JNI); one statement for many
     * rows runs that cycle once per chunk of rows instead of once per row, which cut the CPU time of a 1,000-row batch
     * by 37-53% when measured against a JDBC batch of single-row INSERTs.
     */
    String insertRows(boolean withId) {
        if (withId || type.id == null) {
            String s = insertRowsAll;
            return s != null ? s : (insertRowsAll = buildInsertRows(true));
        }
        String s = insertRowsWithoutId;
        return s != null ? s : (insertRowsWithoutId = buildInsertRows(false));
    }

    private String buildInsertRows(boolean withId) {
        String one = buildInsert(withId);
        String marks = one.substring(one.lastIndexOf(" VALUES ") + " VALUES ".length());
        StringBuilder sql = new StringBuilder(one);
        for (int i = 1; i < rowsPerInsert(withId); i++) {
            sql.append(", ").append(marks);
        }
        return sql.toString();
    }

    private String buildInsert(boolean withId) {
        StringJoiner names = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        for (RecordType.Field f : type.fields) {
            if (f == type.id && !withId) {
                continue;
            }
            names.add(quote(f.column()));
            marks.add("?");
        }
        return "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")";
    }

    /**
     * INSERT, or UPDATE of every other column when the key exists, RETURNING the row. The version (when there is one)
     * starts at the record's value on insert and goes up by one on update.
     */
    String upsert() {
        String base = buildInsert(true);
        StringJoiner sets = new StringJoiner(", ");
        boolean maria = dialect instanceof MariaDbDialect;
        for (RecordType.Field f : type.fields) {
            if (f == type.id) {
                continue;
            }
            String c = quote(f.column());
            if (f == type.version) {
                sets.add(c + " = " + (maria ? c : table + "." + c) + " + 1");
            } else {
                sets.add(c + " = " + (maria ? "VALUES(" + c + ")" : "excluded." + c));
            }
        }
        if (maria) {
            return base + " ON DUPLICATE KEY UPDATE " + sets + " RETURNING " + columns;
        }
        String conflict = " ON CONFLICT (" + quote(type.id.column()) + ") DO "
                + (sets.length() == 0 ? "NOTHING" : "UPDATE SET " + sets);
        return base + conflict + " RETURNING " + columns;
    }

    String delete(boolean checkVersion) {
        String s = "DELETE FROM " + table + " WHERE " + quote(type.id.column()) + " = ?";
        return checkVersion ? s + " AND " + quote(type.version.column()) + " = ?" : s;
    }

    /** {@code FOR UPDATE}-style suffix of a locking read, or "" where the transaction already excludes writers. */
    String lockSuffix(RowLock lock, LockWait wait) {
        if (lock == RowLock.NONE || dialect instanceof SqliteDialect) {
            return "";
        }
        String mode;
        if (dialect instanceof MariaDbDialect) {
            mode = lock == RowLock.UPDATE ? " FOR UPDATE" : " LOCK IN SHARE MODE";
        } else {
            mode = lock == RowLock.UPDATE ? " FOR UPDATE" : " FOR SHARE";
        }
        return switch (wait) {
            case WAIT -> mode;
            case NOWAIT -> mode + " NOWAIT";
            case SKIP_LOCKED -> mode + " SKIP LOCKED";
        };
    }
}
