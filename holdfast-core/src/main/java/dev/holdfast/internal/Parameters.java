package dev.holdfast.internal;

import dev.holdfast.error.ParameterException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Binds Java values to {@code ?} placeholders. Values are always bound, never spliced into SQL text.
 *
 * <p>Every call checks the number of values against the statement's placeholders and refuses a value of a type it
 * does not know, before anything is sent: a driver left to itself reuses the previous execution's value for a missing
 * one (sqlite-jdbc, on a reused statement), ignores an extra one (MariaDB) or stores {@code toString()} of an unknown
 * object (SQLite). Each known type goes through its typed setter: {@code setObject} makes MariaDB's driver find the
 * type again for every value, which costs about 2 µs per row of a 1,000-row batch.
 */
public final class Parameters {
    private static final Object[] NONE = new Object[0];

    private Parameters() {
    }

    public static Object[] orNone(Object[] args) {
        return args == null ? NONE : args;
    }

    public static List<Object> asList(Object[] args) {
        return args == null || args.length == 0 ? List.of() : Arrays.asList(args.clone());
    }

    /** Checks the count, then binds every value. */
    public static void bind(PreparedStatement ps, Dialect dialect, String sql, Object[] args) throws SQLException {
        checkCount(ps, dialect, sql, args.length, -1);
        for (int i = 0; i < args.length; i++) {
            bind(ps, dialect, sql, i + 1, args[i]);
        }
    }

    /**
     * Refuses {@code given} values for a statement with another number of placeholders.
     *
     * @param row the batch row (0-based) the values are for, or -1 outside a batch
     * @return the statement's placeholder count
     */
    public static int checkCount(PreparedStatement ps, Dialect dialect, String sql, int given, int row)
            throws SQLException {
        int expected = Placeholders.count(ps, sql, dialect);
        if (expected != given) {
            int driver = Placeholders.confirm(ps, dialect);
            if (driver == given || (driver < 0 && !(dialect instanceof SqliteDialect))) {
                return given;   // the scan misread the SQL; the driver agrees with the caller (or will say itself)
            }
            throw countMismatch(sql, driver >= 0 ? driver : expected, given, row);
        }
        return expected;
    }

    /** Refuses a batch row whose length differs from the statement's placeholder count. */
    public static void checkRow(String sql, int expected, int given, int row) {
        if (given != expected) {
            throw countMismatch(sql, expected, given, row);
        }
    }

    private static ParameterException countMismatch(String sql, int expected, int given, int row) {
        String where = row >= 0 ? " (batch row " + row + ")" : "";
        return new ParameterException("[" + sql + "] has " + expected + " placeholder" + (expected == 1 ? "" : "s")
                + " (?) but was given " + given + " value" + (given == 1 ? "" : "s") + where + "; nothing was run. "
                + (given < expected ? "Pass a value for every ? (null for SQL NULL)"
                : "Remove the extra values, or add the ? they were meant for"));
    }

    public static void bind(PreparedStatement ps, Dialect dialect, String sql, int index, Object value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Integer n) {
            ps.setInt(index, n);
        } else if (value instanceof Long n) {
            ps.setLong(index, n);
        } else if (value instanceof BigDecimal d) {
            ps.setBigDecimal(index, d);   // SQLite: as its exact decimal text (docs/records.md, exact decimals)
        } else if (value instanceof Boolean b) {
            ps.setBoolean(index, b);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else if (value instanceof Short n) {
            ps.setShort(index, n);
        } else if (value instanceof Byte n) {
            ps.setByte(index, n);
        } else if (value instanceof Float f) {
            ps.setFloat(index, f);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (value instanceof BigInteger n) {
            ps.setBigDecimal(index, new BigDecimal(n));
        } else if (value instanceof Character c) {
            ps.setString(index, c.toString());
        } else if (value instanceof UUID uuid) {
            if (dialect instanceof PostgresDialect) {
                ps.setObject(index, uuid);
            } else {
                ps.setString(index, uuid.toString());
            }
        } else if (value instanceof Instant instant) {
            if (dialect instanceof SqliteDialect) {
                ps.setString(index, instant.toString());
            } else if (dialect instanceof PostgresDialect) {
                ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                ps.setTimestamp(index, Timestamp.from(instant));
            }
        } else if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof OffsetDateTime
                || value instanceof LocalTime || value instanceof OffsetTime) {
            if (dialect instanceof SqliteDialect) {
                ps.setString(index, value.toString());   // ISO-8601 text sorts and compares correctly in SQLite
            } else {
                ps.setObject(index, value);              // JDBC 4.2 types both server drivers know
            }
        } else if (value instanceof Timestamp t) {
            ps.setTimestamp(index, t);
        } else if (value instanceof java.sql.Date d) {
            ps.setDate(index, d);
        } else if (value instanceof java.sql.Time t) {
            ps.setTime(index, t);
        } else {
            throw new ParameterException("[" + sql + "]: value " + index + " is a " + value.getClass().getName()
                    + ", which Holdfast cannot bind to a placeholder (a driver would store its toString() or fail "
                    + "later); nothing was run. Pass a String, a number (int, long, double, BigDecimal, ...), a "
                    + "boolean, byte[], a UUID, an enum, or a java.time value (Instant, LocalDate, LocalDateTime, "
                    + "LocalTime, OffsetDateTime, OffsetTime); convert anything else first"
                    + (value instanceof java.util.Date ? " (java.util.Date: date.toInstant())" : ""));
        }
    }
}
