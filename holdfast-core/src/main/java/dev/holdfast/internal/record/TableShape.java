package dev.holdfast.internal.record;

import dev.holdfast.error.MappingException;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.dialect.MariaDbDialect;
import dev.holdfast.internal.dialect.PostgresDialect;
import dev.holdfast.internal.dialect.SqliteDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;

/**
 * A record type checked against its table's real columns, once per type and database, the first time a record
 * operation uses it. Without this check SQLite reads a component whose column is missing as its own name (an unknown
 * double-quoted identifier is a string literal there), and every database fails only at the first statement that
 * happens to name the column. The check also refuses a record without {@code @Id} on a table that has a primary key,
 * at first use rather than at the first call by id.
 *
 * <p>On MariaDB it also keeps what the one-round-trip atomic update needs: the type to cast each captured value back
 * to, and whether a column updates itself ({@code ON UPDATE CURRENT_TIMESTAMP}), which writing it to itself would stop.
 */
final class TableShape {
    /** Per component: the CAST type for a value read back from a MariaDB user variable, or null for none needed. */
    final String[] mariaDbCast;
    /** False when some column updates itself on UPDATE, or some component's type does not survive a user variable. */
    final boolean mariaDbCapturable;
    /**
     * True when the server runs anonymous compound statements ({@code BEGIN NOT ATOMIC ... END}, MariaDB 10.1 and
     * later; MySQL does not), so the capturing UPDATE and the SELECT of its variables go in one round trip.
     */
    final boolean mariaDbCompound;
    /**
     * Atomic-update statements of this type on this database, by the shape of their SET list; appended under this
     * object's lock. Kept here, not with the type's SQL for the dialect, because a MariaDB plan casts the captured
     * values to this table's column types.
     */
    volatile AtomicUpdate.Plan[] updatePlans = new AtomicUpdate.Plan[0];

    private TableShape(String[] mariaDbCast, boolean mariaDbCapturable, boolean mariaDbCompound) {
        this.mariaDbCast = mariaDbCast;
        this.mariaDbCapturable = mariaDbCapturable;
        this.mariaDbCompound = mariaDbCompound;
    }

    /** One column as the database describes it. */
    private record ColumnInfo(String name, boolean primaryKey, String dataType, Long precision, Long scale,
                              Long datetimePrecision, String extra) {
    }

    /** The checked shape of {@code type}'s table in {@code tx}'s database; checks on the first call only. */
    static TableShape of(Session tx, RecordType<?> type, Object operation) {
        ConcurrentMap<Object, Object> memo = tx.databaseMemo();
        Object known = memo.get(type);
        if (known != null) {
            return (TableShape) known;
        }
        type.requireTable(String.valueOf(operation));
        TableShape shape = check(tx, type);   // a failure is not remembered: a table fixed later passes
        memo.putIfAbsent(type, shape);
        return shape;
    }

    private static TableShape check(Session tx, RecordType<?> type) {
        Dialect dialect = tx.dialect();
        List<ColumnInfo> columns = read(tx, type, dialect);
        if (columns.isEmpty()) {
            throw new MappingException(type.type.getSimpleName() + " is mapped to table " + type.table + ", which "
                    + "does not exist" + (dialect instanceof PostgresDialect ? " in the search_path (names are "
                    + "case-sensitive on PostgreSQL: Holdfast quotes them, so @Table(\"" + type.table + "\") needs "
                    + "a table created as \"" + type.table + "\")" : "") + ". Create it, or fix @Table");
        }
        boolean exact = dialect instanceof PostgresDialect;
        List<String> names = new ArrayList<>(columns.size());
        List<String> keys = new ArrayList<>();
        for (ColumnInfo c : columns) {
            names.add(c.name());
            if (c.primaryKey()) {
                keys.add(c.name());
            }
        }
        String[] cast = new String[type.fields.length];
        boolean capturable = true;
        for (RecordType.Field f : type.fields) {
            ColumnInfo c = find(columns, f.column(), exact);
            if (c == null) {
                ColumnInfo other = exact ? find(columns, f.column(), false) : null;
                throw new MappingException(type.type.getSimpleName() + "." + f.name() + " maps to column "
                        + f.column() + ", which table " + type.table + " does not have; its columns are " + names
                        + (other != null ? " (PostgreSQL names are case-sensitive when quoted, and Holdfast quotes "
                        + "them: use @Column(\"" + other.name() + "\"))" : "")
                        + ". Rename the component, give it @Column(\"...\"), or add the column");
            }
            if (dialect instanceof MariaDbDialect) {
                cast[f.index()] = mariaDbCast(c);
                capturable &= capturable(f.type()) && (c.extra() == null
                        || !c.extra().toLowerCase(Locale.ROOT).contains("on update"));
            }
        }
        if (type.id == null && !keys.isEmpty()) {
            throw new MappingException(type.type.getSimpleName() + " has no @Id, but table " + type.table + " has "
                    + "the primary key " + keys + "; mark the component that maps to it with @Id (find, get, modify, "
                    + "update and delete need it)");
        }
        SqliteDecimals.check(tx, type);   // a BigDecimal component on a column that would round it
        return new TableShape(cast, capturable, capturable && dialect instanceof MariaDbDialect && compound(tx));
    }

    /**
     * Off only for measuring (issue 18): {@code -Dholdfast.mariadb.compoundUpdate=false} sends the capturing UPDATE and
     * the SELECT of its variables as two statements, as before, so that the one-round-trip form can be compared with it
     * in one benchmark run. Both return exactly the row the UPDATE wrote.
     */
    private static final boolean COMPOUND_UPDATE =
            Boolean.parseBoolean(System.getProperty("holdfast.mariadb.compoundUpdate", "true"));

    /** MariaDB (not MySQL, which the same dialect serves): it runs {@code BEGIN NOT ATOMIC ... END} sent as a query. */
    private static boolean compound(Session tx) {
        if (!COMPOUND_UPDATE) {
            return false;
        }
        List<String> version = tx.queryCatalogue(rs -> rs.getString(1), "SELECT VERSION()");
        return !version.isEmpty() && version.get(0) != null
                && version.get(0).toLowerCase(Locale.ROOT).contains("mariadb");
    }

    private static ColumnInfo find(List<ColumnInfo> columns, String name, boolean exact) {
        for (ColumnInfo c : columns) {
            if (exact ? c.name().equals(name) : c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    private static List<ColumnInfo> read(Session tx, RecordType<?> type, Dialect dialect) {
        if (dialect instanceof SqliteDialect) {
            return tx.queryCatalogue(rs -> new ColumnInfo(rs.getString("name"), rs.getInt("pk") > 0, rs.getString("type"),
                    null, null, null, null), "PRAGMA table_info(" + dialect.quote(type.table) + ")");
        }
        if (dialect instanceof PostgresDialect) {
            return tx.queryCatalogue(rs -> new ColumnInfo(rs.getString(1), rs.getBoolean(2), null, null, null, null, null), """
                    SELECT a.attname, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid
                                              AND i.indisprimary AND a.attnum = ANY (i.indkey))
                    FROM pg_attribute a
                    WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY a.attnum""", dialect.quote(type.table));
        }
        return tx.queryCatalogue(rs -> new ColumnInfo(rs.getString(1), "PRI".equals(rs.getString(2)), rs.getString(3),
                        (Long) rs.getObject(4, Long.class), (Long) rs.getObject(5, Long.class),
                        (Long) rs.getObject(6, Long.class), rs.getString(7)), """
                SELECT column_name, column_key, data_type, numeric_precision, numeric_scale, datetime_precision, extra
                FROM information_schema.columns
                WHERE table_schema = DATABASE() AND table_name = ?
                ORDER BY ordinal_position""", type.table);
    }

    /**
     * A MariaDB user variable keeps a DECIMAL at scale 38 and a date or time as text; cast them back so the row read
     * from the variables equals the row read from the table.
     */
    private static String mariaDbCast(ColumnInfo c) {
        String t = c.dataType() == null ? "" : c.dataType().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "decimal" -> "DECIMAL(" + c.precision() + ", " + c.scale() + ")";
            case "datetime", "timestamp" -> "DATETIME(" + (c.datetimePrecision() == null ? 0 : c.datetimePrecision())
                    + ")";
            case "date" -> "DATE";
            case "time" -> "TIME(" + (c.datetimePrecision() == null ? 0 : c.datetimePrecision()) + ")";
            default -> null;
        };
    }

    /** Instant and OffsetDateTime depend on the session time zone in ways a variable round trip has not been tested for. */
    private static boolean capturable(Class<?> type) {
        return type != java.time.Instant.class && type != java.time.OffsetDateTime.class;
    }
}
