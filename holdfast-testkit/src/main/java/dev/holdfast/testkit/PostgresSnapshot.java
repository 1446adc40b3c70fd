package dev.holdfast.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@link SetupSnapshot} on PostgreSQL: the rows of each table of the current schema in a temporary table, and
 * {@code last_value}/{@code is_called} of each sequence (serial and identity columns included). A changed table is
 * restored by {@code DELETE} and {@code INSERT ... SELECT} from its copy, in one transaction with {@code setval} of
 * the sequences that moved, and that is kept when its rows come back in the same physical order and grouping into
 * pages as after the setup (an unordered scan returns them in that order; SERIALIZABLE's predicate locks cover whole
 * pages); otherwise, and the first time, by {@code TRUNCATE} (a new, empty heap and indexes) and the same insert.
 */
final class PostgresSnapshot extends SetupSnapshot {
    private long namespace;
    private String schema;
    private final List<Long> tables = new ArrayList<>();          // in an order that inserts parents first
    private final Map<Long, String> names = new HashMap<>();      // qualified, quoted
    private final Map<Long, String> columns = new HashMap<>();    // quoted, comma separated, generated ones left out
    private final Map<Long, Set<Long>> referencedBy = new HashMap<>();
    private final List<String> sequences = new ArrayList<>();     // qualified, quoted
    private final Map<String, String[]> sequenceValues = new HashMap<>();
    private String observeSql;
    private java.sql.PreparedStatement observe;

    @Override
    String inspect(Connection c) throws SQLException {
        List<String[]> ns = rows(c, "select oid, nspname from pg_namespace where nspname = current_schema()", 2);
        if (ns.isEmpty()) {
            return "no current schema";
        }
        namespace = Long.parseLong(ns.get(0)[0]);
        schema = quote(ns.get(0)[1]);
        String n = String.valueOf(namespace);
        List<String[]> odd = rows(c, """
                select 'a ' || relname || ' of kind ' || relkind::text || ' (partitioned, materialized or foreign)'
                  from pg_class where relnamespace = :ns and relkind in ('p', 'm', 'f')
                union all select 'the trigger ' || t.tgname || ' on ' || c.relname from pg_trigger t
                  join pg_class c on c.oid = t.tgrelid where c.relnamespace = :ns and not t.tgisinternal
                union all select 'the rule ' || r.rulename || ' on ' || c.relname from pg_rewrite r
                  join pg_class c on c.oid = r.ev_class where c.relnamespace = :ns and r.rulename <> '_RETURN'
                union all select 'row level security on ' || relname from pg_class
                  where relnamespace = :ns and relrowsecurity
                union all select 'inheritance between ' || i.inhrelid::regclass || ' and ' || i.inhparent::regclass
                  from pg_inherits i join pg_class c on c.oid = i.inhrelid or c.oid = i.inhparent
                  where c.relnamespace = :ns
                """.replace(":ns", n), 1);
        if (!odd.isEmpty()) {
            return "the schema holds " + odd.get(0)[0];
        }
        for (String[] t : rows(c, "select oid, relname from pg_class where relnamespace = " + n
                + " and relkind = 'r' order by oid", 2)) {
            long oid = Long.parseLong(t[0]);
            names.put(oid, schema + "." + quote(t[1]));
            columns.put(oid, "");
        }
        for (String[] a : rows(c, "select a.attrelid, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid"
                + " where c.relnamespace = " + n + " and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped"
                + " and a.attgenerated = '' order by a.attrelid, a.attnum", 2)) {
            long oid = Long.parseLong(a[0]);
            String cols = columns.get(oid);
            columns.put(oid, cols.isEmpty() ? quote(a[1]) : cols + ", " + quote(a[1]));
        }
        Map<Long, Set<Long>> parents = new HashMap<>();
        for (String[] fk : rows(c, "select conrelid, confrelid from pg_constraint where contype = 'f' and connamespace = "
                + n, 2)) {
            long child = Long.parseLong(fk[0]);
            long parent = Long.parseLong(fk[1]);
            if (child != parent && names.containsKey(child) && names.containsKey(parent)) {
                parents.computeIfAbsent(child, k -> new HashSet<>()).add(parent);
            }
            referencedBy.computeIfAbsent(parent, k -> new HashSet<>()).add(child);
        }
        Set<Long> placed = new LinkedHashSet<>();
        while (placed.size() < names.size()) {
            boolean progress = false;
            for (long t : names.keySet().stream().sorted().toList()) {
                if (!placed.contains(t) && placed.containsAll(parents.getOrDefault(t, Set.of()))) {
                    placed.add(t);
                    progress = true;
                }
            }
            if (!progress) {
                return "foreign keys that form a cycle between tables";
            }
        }
        tables.addAll(placed);
        for (String[] s : rows(c, "select relname from pg_class where relnamespace = " + n + " and relkind = 'S'"
                + " order by oid", 1)) {
            sequences.add(schema + "." + quote(s[0]));
        }
        observeSql = observeSql(c);
        return null;
    }

    private String observeSql(Connection c) throws SQLException {
        String n = String.valueOf(namespace);
        // The relations as the snapshot found them, by oid: their catalog rows are read through the catalogs' oid
        // indexes (a subquery on pg_class makes the planner scan all of pg_attribute). A relation added since shows
        // in pg_class itself.
        StringJoiner rels = new StringJoiner(", ", "(", ")");
        rels.add("0");
        for (String[] r : rows(c, "select oid from pg_class where relnamespace = " + n, 1)) {
            rels.add(r[0]);
        }
        StringJoiner sql = new StringJoiner("\nunion all ");
        // Which catalog rows describe the schema, and the version (xmin) of each: DDL adds, removes or rewrites them,
        // DML never does. Not pg_class's xmin (TRUNCATE rewrites the row to point at a new file) but the columns of
        // it that DDL changes. Cheaper by far than deparsing definitions (pg_get_indexdef and the like: 5 ms).
        sql.add("""
                select 'fingerprint', md5(string_agg(d, ',' order by d)) from (
                  select 'c' || oid || ' ' || relname || ' ' || relkind::text || relpersistence::text || ' ' || relnatts
                      || ' ' || relchecks || relhasindex || relhastriggers || relhasrules || relrowsecurity
                      || relforcerowsecurity || ' ' || relowner || ' ' || coalesce(relacl::text, '') || ' '
                      || coalesce(reloptions::text, '') || ' ' || reltype as d
                    from pg_class where relnamespace = :ns
                  union all select 'a' || attrelid || ' ' || attnum || ' ' || xmin from pg_attribute
                    where attrelid in :rels
                  union all select 'd' || oid || ' ' || xmin from pg_attrdef
                    where adrelid in :rels
                  union all select 'i' || indexrelid || ' ' || xmin from pg_index
                    where indrelid in :rels
                  union all select 'g' || oid || ' ' || xmin from pg_trigger
                    where tgrelid in :rels
                  union all select 'r' || oid || ' ' || xmin from pg_rewrite
                    where ev_class in :rels
                  union all select 'q' || seqrelid || ' ' || xmin from pg_sequence
                    where seqrelid in :rels
                  union all select 'k' || oid || ' ' || xmin from pg_constraint where connamespace = :ns
                  union all select 'p' || oid || ' ' || xmin from pg_proc where pronamespace = :ns
                  union all select 'y' || oid || ' ' || xmin from pg_type where typnamespace = :ns
                  union all select 'e' || e.oid || ' ' || e.xmin from pg_enum e join pg_type t on t.oid = e.enumtypid
                    where t.typnamespace = :ns
                ) f""".replace(":ns", n).replace(":rels", rels.toString()));
        for (long t : tables) {
            sql.add(tableState(t));
        }
        for (String s : sequences) {
            sql.add("select " + literal("s:" + s) + ", (select last_value::text || ' ' || is_called::text from "
                    + s + ")");
        }
        return sql.toString();
    }

    /**
     * A table's rows in their physical order (an unordered scan returns them so), how many sit on each page, in page
     * order (SERIALIZABLE's predicate locks cover a page once a transaction read more than two of its rows), and the
     * size of the table and of each of its indexes: the same after a restore by DELETE as after the setup, or the
     * restore is done again by TRUNCATE. The sizes bound what deletes leave behind (dead tuples, dead index entries)
     * to the pages the setup's state already had: once a heap or an index would grow by a page, it is rebuilt.
     */
    private String tableState(long t) {
        String name = names.get(t);
        return "select " + literal("t:" + t) + ", (select md5(coalesce(string_agg(x::text, '|' order by x.ctid), ''))"
                + " || ' ' || coalesce((select string_agg(n::text, ',' order by b) from (select (ctid::text::point)[0]"
                + " as b, count(*) as n from only " + name + " group by 1) p), '') || ' ' || pg_relation_size(" + t
                + ") || ' ' || coalesce((select string_agg(pg_relation_size(indexrelid)::text, ',' order by indexrelid)"
                + " from pg_index where indrelid = " + t + "), '') from only " + name + " x)";
    }

    @Override
    void copyRows(Connection c) throws SQLException {
        for (long t : tables) {
            execute(c, "drop table if exists pg_temp." + PREFIX + t);
            execute(c, "create temporary table " + PREFIX + t + " as select " + columns.get(t) + " from only "
                    + names.get(t) + " order by ctid");
        }
        for (String s : sequences) {
            sequenceValues.put(s, rows(c, "select last_value, is_called from " + s, 2).get(0));
        }
    }

    @Override
    Map<String, String> observe(Connection c, boolean full) throws SQLException {
        // kept prepared: planning this union of catalog queries costs more than running it
        if (observe == null || observe.getConnection() != c || observe.isClosed()) {
            observe = c.prepareStatement(observeSql);
            try {
                observe.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
            } catch (SQLException | LinkageError notPgJdbc) {
                // prepared on the server after the driver's own threshold, or never
            }
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (java.sql.ResultSet rs = observe.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        return out;
    }

    @Override
    void putBack(Connection c, Map<String, String> now, boolean all) throws SQLException {
        Set<Long> changed = new HashSet<>();
        for (long t : tables) {
            if (all || !now.get("t:" + t).equals(baseline().get("t:" + t))) {
                changed.add(t);
            }
        }
        // TRUNCATE refuses a table that an untouched table references: take those too (their rows come back as
        // they were, since they are copied back in full).
        List<Long> todo = new ArrayList<>(changed);
        while (!todo.isEmpty()) {
            for (long child : referencedBy.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
                if (names.containsKey(child) && changed.add(child)) {
                    todo.add(child);
                }
            }
        }
        List<String> moved = new ArrayList<>();
        for (String s : sequences) {
            if (all || !now.get("s:" + s).equals(baseline().get("s:" + s))) {
                moved.add(s);
            }
        }
        if (!all && byDelete(c, changed, moved)) {
            return;
        }
        c.setAutoCommit(false);
        try {
            if (!changed.isEmpty()) {
                StringJoiner truncate = new StringJoiner(", ", "truncate only ", "");
                for (long t : tables) {
                    if (changed.contains(t)) {
                        truncate.add(names.get(t));
                    }
                }
                execute(c, truncate.toString());
                insert(c, changed);
            }
            setval(c, moved);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * The cheap restore: DELETE (children first) and INSERT (parents first), kept only when every table's rows come
     * back in the snapshot's order and grouping into pages. A TRUNCATE makes its commit wait for the WAL to reach
     * the disk (a transaction that removes files always does, whatever {@code synchronous_commit} says): 5–10 ms
     * on a busy machine, most of what dropping and setting up cost.
     *
     * @return false when the rows came back differently (rolled back; the caller truncates)
     */
    private boolean byDelete(Connection c, Set<Long> changed, List<String> moved) throws SQLException {
        c.setAutoCommit(false);
        try {
            List<Long> childrenFirst = new ArrayList<>(tables);
            java.util.Collections.reverse(childrenFirst);
            StringJoiner check = new StringJoiner("\nunion all ");
            StringJoiner restore = new StringJoiner(";\n");   // one round trip: the driver sends them together
            for (long t : childrenFirst) {
                if (changed.contains(t)) {
                    restore.add("delete from only " + names.get(t));
                    check.add(tableState(t));
                }
            }
            for (long t : tables) {
                if (changed.contains(t) && !columns.get(t).isEmpty()) {
                    restore.add(insertSql(t));
                }
            }
            for (String s : moved) {
                restore.add(setvalSql(s));
            }
            if (restore.length() > 0) {
                execute(c, restore.toString());
            }
            if (changed.isEmpty() || keyed(c, check.toString()).entrySet().stream()
                    .allMatch(e -> e.getValue().equals(baseline().get(e.getKey())))) {
                c.commit();
                return true;
            }
            c.rollback();
            return false;
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            return false;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void insert(Connection c, Set<Long> changed) throws SQLException {
        for (long t : tables) {
            if (changed.contains(t) && !columns.get(t).isEmpty()) {
                execute(c, insertSql(t));
            }
        }
    }

    private String insertSql(long t) {
        return "insert into " + names.get(t) + " (" + columns.get(t) + ") overriding system value select "
                + columns.get(t) + " from pg_temp." + PREFIX + t;
    }

    private void setval(Connection c, List<String> moved) throws SQLException {
        for (String s : moved) {
            execute(c, setvalSql(s));
        }
    }

    private String setvalSql(String sequence) {
        String[] v = sequenceValues.get(sequence);
        return "select setval(" + literal(sequence) + ", " + v[0] + ", " + ("t".equals(v[1]) || "true".equals(v[1]))
                + ")";
    }

    private static void rollback(Connection c, Exception e) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
