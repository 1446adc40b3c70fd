package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@link SetupSnapshot} on MariaDB (and MySQL): the rows of each table of the current database in a temporary table,
 * and each table's AUTO_INCREMENT counter. A changed table comes back one of two ways, with foreign key checks off:
 * <ul>
 *   <li>{@code DELETE} + {@code INSERT ... SELECT}, in one transaction, when the table is clustered on a primary key
 *       and has no other index, its keys are the snapshot's keys and its counter did not move: InnoDB then writes each
 *       row back over its own delete-marked record, and no delete-marked record is left behind;</li>
 *   <li>otherwise {@code TRUNCATE} (a new, empty table, which also resets the counter) + {@code INSERT ... SELECT},
 *       and {@code ALTER TABLE ... AUTO_INCREMENT} when the counter the setup left was above the largest key + 1.
 *       A delete left behind would keep delete-marked index records until InnoDB's purge removes them, at a time of
 *       its own, and a locking read at REPEATABLE READ locks the gaps around such records: a schedule could wait or
 *       not depending on when purge ran.</li>
 * </ul>
 * {@code TRUNCATE} and {@code ALTER TABLE} cost a DDL each (about 12 and 27 ms on InnoDB, against under 1 ms for a
 * delete), so a table is only touched when its rows (a hash of every column of every row) or its counter changed.
 */
final class MariaDbSnapshot extends SetupSnapshot {
    private final List<String> tables = new ArrayList<>();               // names, unquoted
    private final Map<String, String> columns = new HashMap<>();         // quoted, comma separated, not generated
    private final Map<String, String> quotedKey = new HashMap<>();       // primary key columns, when cheap to restore
    private final Set<String> withoutPrimaryKey = new HashSet<>();
    private final Set<String> withOtherIndexes = new HashSet<>();
    private final Map<String, String> counters = new LinkedHashMap<>();  // AUTO_INCREMENT as the setup left it
    private String observeSql;
    private String observeSlowSql;
    private String observeRowsSql;
    private boolean hasForeignKeys;

    @Override
    String inspect(Connection c) throws SQLException {
        if (rows(c, "select database()", 1).get(0)[0] == null) {
            return "no current database";
        }
        // every hash below is a group_concat of md5s; the default limit (1 MB) would cut one off after 32k rows
        execute(c, "set session group_concat_max_len = 1073741824");
        List<String[]> odd = rows(c, """
                select concat('the trigger ', trigger_name, ' on ', event_object_table) from information_schema.triggers
                  where trigger_schema = database()
                union all select concat('the ', lower(table_type), ' ', table_name) from information_schema.tables
                  where table_schema = database() and table_type not in ('BASE TABLE', 'VIEW', 'TEMPORARY')
                """, 1);
        if (!odd.isEmpty()) {
            return "the database holds " + odd.get(0)[0];
        }
        for (String[] t : rows(c, "select table_name, auto_increment from information_schema.tables where table_schema"
                + " = database() and table_type = 'BASE TABLE' and table_name not like '" + PREFIX + "%' order by"
                + " table_name", 2)) {
            tables.add(t[0]);
            columns.put(t[0], "");
            withoutPrimaryKey.add(t[0]);
        }
        for (String[] a : rows(c, "select table_name, column_name from information_schema.columns where table_schema ="
                + " database() and is_generated = 'NEVER' order by table_name, ordinal_position", 2)) {
            String cols = columns.get(a[0]);
            if (cols != null) {
                columns.put(a[0], cols.isEmpty() ? quote(a[1]) : cols + ", " + quote(a[1]));
            }
        }
        for (String[] i : rows(c, "select table_name, index_name, column_name from information_schema.statistics"
                + " where table_schema = database() order by table_name, index_name, seq_in_index", 3)) {
            if (!columns.containsKey(i[0])) {
                continue;
            }
            if (i[1].equals("PRIMARY")) {
                withoutPrimaryKey.remove(i[0]);
                String k = quotedKey.get(i[0]);
                quotedKey.put(i[0], k == null ? "quote(" + quote(i[2]) + ")" : k + ", quote(" + quote(i[2]) + ")");
            } else {
                withOtherIndexes.add(i[0]);
            }
        }
        hasForeignKeys = !rows(c, "select 1 from information_schema.referential_constraints where constraint_schema ="
                + " database() limit 1", 1).isEmpty();
        observeSql = observeSql();
        observeSlowSql = observeSql + "\nunion all " + """
                select 'FINGERPRINT_SLOW', md5(group_concat(md5(d) order by md5(d) separator '')) from (
                  select concat_ws(' ', 'g', trigger_name, event_object_table, md5(action_statement)) d
                    from information_schema.triggers where trigger_schema = database()
                  union all select concat_ws(' ', 'v', table_name, md5(view_definition)) from information_schema.views
                    where table_schema = database()
                  union all select concat_ws(' ', 'r', routine_name, routine_type, md5(routine_definition))
                    from information_schema.routines where routine_schema = database()
                ) f""".replace("FINGERPRINT_SLOW", FINGERPRINT_SLOW);
        return null;
    }

    private String observeSql() {
        StringJoiner sql = new StringJoiner("\nunion all ");
        sql.add("""
                select 'fingerprint', md5(group_concat(md5(d) order by md5(d) separator '')) from (
                  select concat_ws(' ', 't', table_name, table_type, engine, row_format, table_collation,
                      create_options, table_comment) d
                    from information_schema.tables where table_schema = database() and table_type <> 'TEMPORARY'
                      and table_name not like 'PREFIX%'
                  union all select concat_ws(' ', 'c', table_name, ordinal_position, column_name, column_type,
                      is_nullable, coalesce(column_default, '~'), extra, coalesce(generation_expression, ''),
                      coalesce(collation_name, ''))
                    from information_schema.columns where table_schema = database() and table_name not like 'PREFIX%'
                  union all select concat_ws(' ', 'i', table_name, index_name, seq_in_index, column_name, non_unique,
                      coalesce(sub_part, ''), index_type)
                    from information_schema.statistics where table_schema = database()
                      and table_name not like 'PREFIX%'
                  union all select concat_ws(' ', 'u', constraint_name, table_name, column_name, ordinal_position,
                      coalesce(referenced_table_name, ''), coalesce(referenced_column_name, ''))
                    from information_schema.key_column_usage where table_schema = database()
                  union all select concat_ws(' ', 'f', constraint_name, table_name, update_rule, delete_rule)
                    from information_schema.referential_constraints where constraint_schema = database()
                  union all select concat_ws(' ', 'k', constraint_name, table_name, check_clause)
                    from information_schema.check_constraints where constraint_schema = database()
                ) f""".replace("PREFIX", PREFIX.replace("_", "\\_")));
        StringJoiner rows = new StringJoiner("\nunion all ");
        for (String t : tables) {
            rows.add("select " + literal("t:" + t) + ", " + hash(t, rowExpression(columns.get(t))));
            if (cheap(t)) {
                rows.add("select " + literal("k:" + t) + ", " + hash(t, "concat_ws('|', " + quotedKey.get(t) + ")"));
            }
        }
        rows.add("select concat('s:', table_name), cast(auto_increment as char) from information_schema.tables where"
                + " table_schema = database() and table_type = 'BASE TABLE' and auto_increment is not null"
                + " and table_name not like '" + PREFIX.replace("_", "\\_") + "%'");
        observeRowsSql = rows.toString();
        sql.add(observeRowsSql);
        return sql.toString();
    }

    /** Whether a table may come back by DELETE + INSERT (see the class comment). */
    private boolean cheap(String t) {
        return !withoutPrimaryKey.contains(t) && !withOtherIndexes.contains(t);
    }

    private static String rowExpression(String cols) {
        if (cols.isEmpty()) {
            return "''";
        }
        StringJoiner e = new StringJoiner(", ", "concat_ws('|', ", ")");
        for (String col : cols.split(", ")) {
            e.add("quote(" + col + ")");
        }
        return e.toString();
    }

    /** The md5 of a table's rows as a multiset: each row's md5, sorted, concatenated. */
    private static String hash(String table, String rowExpression) {
        return "(select coalesce(md5(group_concat(h order by h separator '')), '') from (select md5(" + rowExpression
                + ") h from " + quote(table) + ") x)";
    }

    @Override
    void copyRows(Connection c) throws SQLException {
        for (int i = 0; i < tables.size(); i++) {
            String t = tables.get(i);
            execute(c, "drop temporary table if exists " + PREFIX + i);
            execute(c, "create temporary table " + PREFIX + i + " as select " + (columns.get(t).isEmpty() ? "1 as x"
                    : columns.get(t)) + " from " + quote(t));
        }
        counters.clear();
        for (String[] a : rows(c, "select table_name, auto_increment from information_schema.tables where table_schema"
                + " = database() and table_type = 'BASE TABLE' and auto_increment is not null", 2)) {
            if (columns.containsKey(a[0])) {
                counters.put(a[0], a[1]);
            }
        }
    }

    @Override
    Map<String, String> observe(Connection c, boolean full) throws SQLException {
        // Definitions change only by a statement of their own (CREATE, ALTER, DROP, a CALL): a stored function or a
        // trigger may not run DDL on MariaDB. After a schedule of only queries and DML, the rows and counters are
        // all there is to read (the fingerprint costs 1-2 ms; its triggers, views and routines part 4 ms more).
        return keyed(c, full ? observeSlowSql : observeRowsSql);
    }

    @Override
    void putBack(Connection c, Map<String, String> now, boolean all) throws SQLException {
        List<Integer> truncate = new ArrayList<>();
        List<Integer> delete = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            String t = tables.get(i);
            if (all) {
                truncate.add(i);
                continue;
            }
            boolean rows = !now.get("t:" + t).equals(baseline().get("t:" + t));
            boolean counter = !String.valueOf(now.get("s:" + t)).equals(String.valueOf(baseline().get("s:" + t)));
            if (!rows && !counter) {
                continue;
            }
            if (counter || !cheap(t) || !now.get("k:" + t).equals(baseline().get("k:" + t))) {
                truncate.add(i);
            } else {
                delete.add(i);
            }
        }
        if (hasForeignKeys) {
            execute(c, "set foreign_key_checks = 0");
        }
        try {
            for (int i : truncate) {
                execute(c, "truncate table " + quote(tables.get(i)));
            }
            // by statements, not setAutoCommit: two round trips fewer
            execute(c, "start transaction");
            try {
                for (int i : delete) {
                    execute(c, "delete from " + quote(tables.get(i)));
                }
                for (List<Integer> list : List.of(truncate, delete)) {
                    for (int i : list) {
                        String cols = columns.get(tables.get(i));
                        if (!cols.isEmpty()) {
                            execute(c, "insert into " + quote(tables.get(i)) + " (" + cols + ") select " + cols
                                    + " from " + PREFIX + i);
                        }
                    }
                }
                execute(c, "commit");
            } catch (SQLException | RuntimeException e) {
                try {
                    execute(c, "rollback");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            boolean counted = false;
            for (int i : truncate) {
                counted |= counters.containsKey(tables.get(i));
            }
            if (counted) {
                for (String[] a : rows(c, "select table_name, auto_increment from information_schema.tables where"
                        + " table_schema = database() and table_type = 'BASE TABLE' and auto_increment is not null", 2)) {
                    String want = counters.get(a[0]);
                    if (want != null && truncate.contains(tables.indexOf(a[0])) && !want.equals(a[1])) {
                        execute(c, "alter table " + quote(a[0]) + " auto_increment = " + want);
                    }
                }
            }
        } finally {
            if (hasForeignKeys) {
                execute(c, "set foreign_key_checks = 1");
            }
        }
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
