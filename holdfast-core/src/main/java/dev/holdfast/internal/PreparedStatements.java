package dev.holdfast.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Prepared statements a transaction reuses instead of preparing each time (the SQLite writer's connection). An
 * interface here so that the transaction does not name the SQLite package that implements it.
 */
public interface PreparedStatements {

    /** True when the statements belong to {@code connection}. */
    boolean serves(Connection connection);

    /** A prepared statement for {@code sql}, reused when there is one. */
    PreparedStatement prepare(String sql) throws SQLException;

    /** Hands a statement back after use; a failed or timed one may be closed instead of kept. */
    void done(String sql, PreparedStatement ps, boolean failed, boolean timed);
}
