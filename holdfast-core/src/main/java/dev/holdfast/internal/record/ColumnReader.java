package dev.holdfast.internal.record;

import dev.holdfast.error.MappingException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Reads one column of the current row as one Java type, the way this database stores it. Chosen once per record
 * component and database, so reading a row is a fixed list of typed getter calls by column index.
 *
 * <p>Temporal storage differs by database, and each reader matches how {@link dev.holdfast.internal.Parameters#bind}
 * writes: SQLite keeps
 * java.time values as ISO-8601 text; PostgreSQL's driver speaks java.time ({@code Instant} as
 * {@code timestamptz}, read back through {@code OffsetDateTime}); MariaDB stores {@code Instant} and
 * {@code OffsetDateTime} as a {@code TIMESTAMP}/{@code DATETIME} in the JVM's time zone.
 */
@FunctionalInterface
interface ColumnReader {

    /** The value, or {@code null} for SQL NULL. */
    Object read(ResultSet rs, int column) throws SQLException;

    static ColumnReader of(Class<?> type, Dialect dialect) {
        boolean sqlite = dialect instanceof SqliteDialect;
        boolean postgres = dialect instanceof PostgresDialect;
        if (type == long.class || type == Long.class) {
            return (rs, i) -> {
                long v = rs.getLong(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == int.class || type == Integer.class) {
            return (rs, i) -> {
                int v = rs.getInt(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == short.class || type == Short.class) {
            return (rs, i) -> {
                short v = rs.getShort(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == byte.class || type == Byte.class) {
            return (rs, i) -> {
                byte v = rs.getByte(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == double.class || type == Double.class) {
            return (rs, i) -> {
                double v = rs.getDouble(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == float.class || type == Float.class) {
            return (rs, i) -> {
                float v = rs.getFloat(i);
                return v == 0 && rs.wasNull() ? null : v;
            };
        }
        if (type == boolean.class || type == Boolean.class) {
            return (rs, i) -> {
                boolean v = rs.getBoolean(i);
                return !v && rs.wasNull() ? null : v;
            };
        }
        if (type == String.class) {
            return ResultSet::getString;
        }
        if (type == BigDecimal.class) {
            return ResultSet::getBigDecimal;
        }
        if (type == byte[].class) {
            return ResultSet::getBytes;
        }
        if (type == UUID.class) {
            return postgres ? (rs, i) -> rs.getObject(i, UUID.class) : (rs, i) -> {
                String s = rs.getString(i);
                return s == null ? null : UUID.fromString(s);
            };
        }
        if (type == Instant.class) {
            if (sqlite) {
                return (rs, i) -> {
                    String s = rs.getString(i);
                    return s == null ? null : Instant.parse(isoUtc(s));
                };
            }
            if (postgres) {
                return (rs, i) -> {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                };
            }
            return (rs, i) -> {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? null : t.toInstant();
            };
        }
        if (type == OffsetDateTime.class) {
            if (sqlite) {
                return (rs, i) -> {
                    String s = rs.getString(i);
                    return s == null ? null : OffsetDateTime.parse(isoUtc(s));
                };
            }
            if (postgres) {
                return (rs, i) -> rs.getObject(i, OffsetDateTime.class);
            }
            return (rs, i) -> {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? null : OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
            };
        }
        if (type == LocalDateTime.class) {
            return sqlite ? (rs, i) -> {
                String s = rs.getString(i);
                return s == null ? null : LocalDateTime.parse(s.replace(' ', 'T'));
            } : (rs, i) -> rs.getObject(i, LocalDateTime.class);
        }
        if (type == LocalDate.class) {
            return sqlite ? (rs, i) -> {
                String s = rs.getString(i);
                return s == null ? null : LocalDate.parse(s);
            } : (rs, i) -> rs.getObject(i, LocalDate.class);
        }
        if (type.isEnum()) {
            return enumReader(type);
        }
        throw new MappingException("No column reader for " + type.getName());
    }

    /**
     * SQLite's own {@code CURRENT_TIMESTAMP} writes {@code 2026-01-01 10:00:00} (UTC, no zone); accept it alongside
     * the ISO-8601 text Holdfast writes.
     */
    private static String isoUtc(String s) {
        String t = s.replace(' ', 'T');
        boolean hasZone = t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10;
        return hasZone ? t : t + "Z";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ColumnReader enumReader(Class<?> type) {
        Class<? extends Enum> enumType = (Class<? extends Enum>) type;
        return (rs, i) -> {
            String s = rs.getString(i);
            if (s == null) {
                return null;
            }
            try {
                return Enum.valueOf(enumType, s);
            } catch (IllegalArgumentException e) {
                throw new MappingException("Column " + rs.getMetaData().getColumnLabel(i) + " holds '" + s
                        + "', which is not a constant of enum " + type.getSimpleName() + "; enums are stored by name()");
            }
        };
    }
}
