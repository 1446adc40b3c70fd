package dev.holdfast.internal.sqlite;

import dev.holdfast.internal.PreparedStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements kept open on one connection and reused, for a connection that runs the same few statements over
 * and over from one thread: the SQLite writer. Preparing is a real cost there (SQLite compiles the SQL each time), and
 * every unit of a group commit runs at least {@code SAVEPOINT}, its statements and {@code RELEASE}.
 *
 * <p>Not thread-safe: it belongs to the thread that owns the connection. A statement that failed is evicted and closed,
 * so a statement left in an unknown state is never reused.
 */
final class StatementCache implements PreparedStatements, AutoCloseable {
    private static final int CAPACITY = 128;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CAPACITY) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean serves(Connection c) {
        return c == connection;
    }

    /** A prepared statement for {@code sql}, reused when it was prepared before. Do not close it; see {@link #done}. */
    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Hands a statement back after use; one that failed or had a time limit set is closed instead of kept. A kept one
     * has its values cleared: sqlite-jdbc would otherwise lend the last call's values to the next call that leaves a
     * placeholder unbound (the count check in {@code Parameters} refuses such a call; this makes a miss bind NULL, not
     * someone else's value), and a large {@code byte[]} would stay reachable as long as the statement.
     */
    @Override
    public void done(String sql, PreparedStatement ps, boolean failed, boolean timed) {
        if (!failed && !timed) {
            try {
                if (ps.getParameterMetaData().getParameterCount() > 0) {   // a field read; SAVEPOINT, COMMIT have none
                    ps.clearParameters();
                }
                return;
            } catch (SQLException e) {
                // fall through: a statement that cannot be cleared is not reused
            }
        }
        statements.remove(sql);
        closeQuietly(ps);
    }

    @Override
    public void close() {
        statements.values().forEach(StatementCache::closeQuietly);
        statements.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // the connection is going away or the statement is already gone; nothing to keep
        }
    }
}
