package dev.holdfast.testkit.detect.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one statement does, as far as the race analysis cares.
 *
 * @param type          what kind of statement
 * @param table         the table read or written (lower case, unquoted), or null
 * @param tables        every table the statement names
 * @param keys          equality and IN predicates of the top-level AND of the WHERE clause: column to the values
 *                      compared with (bound values resolved, normalised to text)
 * @param guards        the other conjuncts of the WHERE clause (range, OR, IS NULL, sub-queries, ...), as text
 * @param hasWhere      whether there is a WHERE clause
 * @param aggregate     an aggregate (COUNT, SUM, AVG, MIN, MAX) or GROUP BY
 * @param columns       the columns a SELECT returns (lower case), or null for {@code *} / unknown
 * @param lock          the lock clause of a SELECT
 * @param skipLocked    SKIP LOCKED
 * @param noWait        NOWAIT
 * @param absoluteSets  columns an UPDATE sets to a value that does not refer to the row itself
 * @param relativeSets  columns an UPDATE sets relative to the row ({@code n = n + ?})
 * @param versionColumns WHERE columns that the UPDATE also sets (a version predicate)
 * @param inserted      for an INSERT: column to the value inserted (single-row inserts)
 */
public record SqlFacts(Type type, String table, Set<String> tables, Map<String, List<String>> keys, List<String> guards,
                       boolean hasWhere, boolean aggregate, List<String> columns, Lock lock, boolean skipLocked,
                       boolean noWait, Set<String> absoluteSets, Set<String> relativeSets, Set<String> versionColumns,
                       Map<String, String> inserted) {

    /** What kind of statement. */
    public enum Type { SELECT, INSERT, UPDATE, DELETE, ADVISORY_LOCK, TABLE_LOCK, OTHER }

    /** A SELECT's lock clause. */
    public enum Lock { NONE, SHARE, UPDATE }

    public boolean isRead() {
        return type == Type.SELECT;
    }

    public boolean isWrite() {
        return type == Type.INSERT || type == Type.UPDATE || type == Type.DELETE;
    }

    /** A statement that takes a lock: a locking read, an advisory lock, LOCK TABLE. */
    public boolean takesLock() {
        return (type == Type.SELECT && lock != Lock.NONE) || type == Type.ADVISORY_LOCK || type == Type.TABLE_LOCK;
    }
}
