package dev.holdfast.internal.record;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.internal.LockWait;
import dev.holdfast.internal.RowLock;
import dev.holdfast.internal.SelectQuery;
import dev.holdfast.internal.Session;
import java.util.List;
import java.util.Optional;

/** The SQL and the reading behind a public select of a {@code @Table} record, run in one transaction. */
public final class RecordSelect<T> implements SelectQuery<T> {
    private final Session tx;
    private final RecordType<T> type;

    private RecordSelect(Session tx, RecordType<T> type) {
        this.tx = tx;
        this.type = type;
        TableShape.of(tx, type, "select(" + type.type.getSimpleName() + ".class)");
    }

    /** A select of {@code recordClass} rows in {@code tx}; the class must have a {@code @Table}. */
    public static <T> RecordSelect<T> of(Session tx, Class<T> recordClass) {
        return new RecordSelect<>(tx, RecordType.of(recordClass));
    }

    @Override
    public String typeName() {
        return type.type.getSimpleName();
    }

    @Override
    public String sql(String where, String orderBy, int limit, RowLock lock, LockWait wait) {
        if ((wait != LockWait.WAIT) && lock == RowLock.NONE) {
            throw new HoldfastException("noWait() and skipLocked() change how a locking read waits; add forUpdate() "
                    + "or forShare()");
        }
        if (lock != RowLock.NONE) {
            tx.checkLockingRead(lock == RowLock.UPDATE ? "forUpdate()" : "forShare()");
        }
        RecordSql s = type.sql(tx.dialect());
        StringBuilder b = new StringBuilder(s.selectAll()).append(where);
        if (orderBy != null) {
            b.append(" ORDER BY ").append(orderBy);
        }
        if (limit >= 0) {
            b.append(" LIMIT ").append(limit);
        }
        return b.append(s.lockSuffix(lock, wait)).toString();
    }

    /** The statement of a select that takes no lock, for a read run on its own; the type is checked when it runs. */
    public static String unlockedSql(dev.holdfast.internal.dialect.Dialect dialect, Class<?> recordClass, String where,
                                     String orderBy, int limit) {
        RecordType<?> type = RecordType.of(recordClass);
        type.requireTable("select(" + recordClass.getSimpleName() + ".class)");
        StringBuilder b = new StringBuilder(type.sql(dialect).selectAll()).append(where);
        if (orderBy != null) {
            b.append(" ORDER BY ").append(orderBy);
        }
        if (limit >= 0) {
            b.append(" LIMIT ").append(limit);
        }
        return b.toString();
    }

    @Override
    public List<T> list(String sql, Object[] args) {
        return tx.query(RecordReader.inOrder(type, tx.dialect()), sql, args);
    }

    @Override
    public Optional<T> optional(String sql, Object[] args) {
        return tx.queryOne(RecordReader.inOrder(type, tx.dialect()), sql, args);
    }
}
