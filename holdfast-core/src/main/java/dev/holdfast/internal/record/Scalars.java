package dev.holdfast.internal.record;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column as a requested Java type, with the conversions every driver agrees on. */
public final class Scalars {
    private Scalars() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T read(ResultSet rs, int column, Class<T> type) throws SQLException {
        Object value;
        if (type == Long.class || type == long.class) {
            value = rs.getLong(column);
        } else if (type == Integer.class || type == int.class) {
            value = rs.getInt(column);
        } else if (type == String.class) {
            value = rs.getString(column);
        } else if (type == Boolean.class || type == boolean.class) {
            value = rs.getBoolean(column);
        } else if (type == Double.class || type == double.class) {
            value = rs.getDouble(column);
        } else if (type == BigDecimal.class) {
            value = rs.getBigDecimal(column);
        } else if (type == Short.class || type == short.class) {
            value = rs.getShort(column);
        } else if (type == byte[].class) {
            value = rs.getBytes(column);
        } else if (type == Object.class) {
            value = rs.getObject(column);
        } else {
            value = rs.getObject(column, type);
        }
        return rs.wasNull() ? null : (T) value;
    }
}
