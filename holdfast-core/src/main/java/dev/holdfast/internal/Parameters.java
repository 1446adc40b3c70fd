package dev.holdfast.internal;

import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Binds Java values to {@code ?} placeholders. Values are always bound, never spliced into SQL text. */
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

    public static void bind(PreparedStatement ps, Dialect dialect, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            bind(ps, dialect, i + 1, args[i]);
        }
    }

    public static void bind(PreparedStatement ps, Dialect dialect, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else if (value instanceof Instant instant) {
            if (dialect instanceof SqliteDialect) {
                ps.setString(index, instant.toString());
            } else if (dialect instanceof PostgresDialect) {
                ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                ps.setTimestamp(index, Timestamp.from(instant));
            }
        } else if (value instanceof UUID uuid && !(dialect instanceof PostgresDialect)) {
            ps.setString(index, uuid.toString());
        } else if (value instanceof java.time.temporal.Temporal t && dialect instanceof SqliteDialect) {
            ps.setString(index, t.toString());   // ISO-8601 text sorts and compares correctly in SQLite
        } else {
            ps.setObject(index, value);
        }
    }
}
