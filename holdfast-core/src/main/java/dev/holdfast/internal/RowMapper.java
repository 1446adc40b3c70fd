package dev.holdfast.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a {@link ResultSet} into a value. Called once per row; it must not move the cursor.
 *
 * <pre>{@code
 * List<String> names = tx.query(rs -> rs.getString("name"), "select name from person where age > ?", 30);
 * }</pre>
 */
@FunctionalInterface
public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
}
