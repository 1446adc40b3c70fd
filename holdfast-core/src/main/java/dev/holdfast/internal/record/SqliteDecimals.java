package dev.holdfast.internal.record;

import dev.holdfast.error.MappingException;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Refuses, on SQLite, a {@link BigDecimal} component whose column would round it. Holdfast binds a {@code BigDecimal}
 * as its exact decimal text; a column with TEXT affinity (declared {@code TEXT}, {@code VARCHAR}, ...) or none
 * ({@code BLOB}, no type) keeps that text as it is. A column with NUMERIC, REAL or INTEGER affinity ({@code NUMERIC},
 * {@code DECIMAL(20,2)}, {@code REAL}, {@code INTEGER}, ...) converts it to an 8-byte integer or float, which keeps about
 * 15 significant digits: {@code 12345678901234567.89} comes back as {@code 12345678901234568}. Rather than round some
 * values silently (the ones with many digits, long after the table was made), the record type is refused on first use,
 * whatever its values, with the DDL that fixes it; a declared precision of 15 digits or fewer
 * ({@code DECIMAL(14,2)}) is accepted, since every value within it survives.
 *
 * <p>Checked once per record type and database ({@code PRAGMA table_info}); a table fixed later passes, since a
 * failure is not remembered.
 */
final class SqliteDecimals {
    private static final ClassValue<Object> KEY = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return new Object();   // this check's memo entry for the type, apart from other checks' entries
        }
    };
    private static final Object CHECKED = Boolean.TRUE;

    private SqliteDecimals() {
    }

    static void check(Session tx, RecordType<?> type) {
        if (!(tx.dialect() instanceof SqliteDialect) || type.table == null || !hasDecimal(type)) {
            return;
        }
        ConcurrentMap<Object, Object> memo = tx.databaseMemo();
        Object key = KEY.get(type.type);
        if (memo.get(key) != null) {
            return;
        }
        Map<String, String> declared = new HashMap<>();
        tx.queryCatalogue(rs -> declared.put(rs.getString("name").toLowerCase(Locale.ROOT), rs.getString("type")),
                "PRAGMA table_info(" + tx.dialect().quote(type.table) + ")");
        for (RecordType.Field f : type.fields) {
            if (f.type() != BigDecimal.class) {
                continue;
            }
            String columnType = declared.get(f.column().toLowerCase(Locale.ROOT));
            if (columnType == null) {
                continue;   // no such column: the statement itself (or the table check) says so
            }
            String affinity = affinity(columnType);
            if (!affinity.equals("TEXT") && !affinity.equals("BLOB") && !withinDouble(columnType)) {
                throw new MappingException(type.type.getSimpleName() + "." + f.name() + " is a BigDecimal, but column "
                        + f.column() + " of table " + type.table + " is declared " + columnType + ", which SQLite gives "
                        + affinity + " affinity without a precision of 15 digits or fewer: it stores a decimal as an "
                        + "8-byte number and keeps about 15 significant digits (12345678901234567.89 would come back as 12345678901234568). Declare the column TEXT "
                        + "(e.g. `" + f.column() + " text not null`): Holdfast stores a BigDecimal there as its exact "
                        + "decimal text. Or make the component a double or long if an approximate or whole number is "
                        + "what you mean");
            }
        }
        memo.putIfAbsent(key, CHECKED);
    }

    /** SQLite's rules for a declared type's affinity (sqlite.org/datatype3.html, section 3.1), in their order. */
    static String affinity(String declaredType) {
        String t = declaredType.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) {
            return "INTEGER";
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return "TEXT";
        }
        if (t.contains("BLOB") || t.isBlank()) {
            return "BLOB";
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return "REAL";
        }
        return "NUMERIC";
    }

    /**
     * True for a declared precision of at most 15 digits ({@code DECIMAL(14,2)}): every value within it survives the
     * trip through a double. SQLite does not enforce the precision, so a longer value is still rounded there; the
     * declaration is the application's promise, as it is on the servers (which refuse such a value).
     */
    static boolean withinDouble(String declaredType) {
        int open = declaredType.indexOf('(');
        if (open < 0) {
            return false;
        }
        int end = declaredType.indexOf(',', open);
        if (end < 0) {
            end = declaredType.indexOf(')', open);
        }
        try {
            int precision = Integer.parseInt(declaredType.substring(open + 1, end < 0 ? declaredType.length() : end)
                    .trim());
            return precision > 0 && precision <= 15;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean hasDecimal(RecordType<?> type) {
        for (RecordType.Field f : type.fields) {
            if (f.type() == BigDecimal.class) {
                return true;
            }
        }
        return false;
    }
}
