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
 * {@code last_value}/{@code is_called} of each sequence (serial and identity columns included). A table is restored
 * with {@code TRUNCATE} (a new, empty heap and indexes, so its rows come back in the same physical order and pages
 * every time, as after the setup — a {@code DELETE} would leave dead tuples and grow the heap, which changes the order
 * of an unordered scan and the pages SERIALIZABLE's predicate locks cover) and {@code INSERT ... SELECT} from its
 * copy, in one transaction with {@code setval} of the sequences that moved.
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
        observeSql = observeSql();
        return null;
    }

    private String observeSql() {
        String n = String.valueOf(namespace);
        StringJoiner sql = new StringJoiner("\nunion all ");
        sql.add("""
                select 'fingerprint', md5(string_agg(d, E'\\n' order by d)) from (
                  select 'c ' || relname || ' ' || relkind::text || ' ' || relnatts || ' ' || relhastriggers || ' '
                      || relrowsecurity || ' ' || relpersistence::text || ' ' || relowner || ' '
                      || coalesce(relacl::text, '') || ' ' || coalesce(reloptions::text, '') as d
                    from pg_class where relnamespace = :ns
                  union all select 'a ' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' '
                      || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || a.attisdropped || ' '
                      || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || a.attcollation || ' '
                      || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
                    from pg_attribute a join pg_class c on c.oid = a.attrelid
                    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                    where c.relnamespace = :ns and a.attnum > 0
                  union all select 'k ' || coalesce(c.relname, '') || ' ' || k.conname || ' '
                      || pg_get_constraintdef(k.oid)
                    from pg_constraint k left join pg_class c on c.oid = k.conrelid where k.connamespace = :ns
                  union all select 'x ' || pg_get_indexdef(i.indexrelid)
                    from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = :ns
                  union all select 'g ' || c.relname || ' ' || t.tgname || ' ' || t.tgenabled::text
                    from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = :ns
                  union all select 'r ' || pg_get_ruledef(r.oid)
                    from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace = :ns
                  union all select 'p ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, '')) || ' '
                      || coalesce(p.proacl::text, '')
                    from pg_proc p where p.pronamespace = :ns
                  union all select 'y ' || typname || ' ' || typtype::text from pg_type where typnamespace = :ns
                  union all select 'e ' || t.typname || ' ' || e.enumsortorder || ' ' || e.enumlabel
                    from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typnamespace = :ns
                  union all select 'q ' || c.relname || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax
                      || ' ' || s.seqcache || ' ' || s.seqcycle || ' ' || s.seqstart
                    from pg_sequence s join pg_class c on c.oid = s.seqrelid where c.relnamespace = :ns
                ) f""".replace(":ns", n));
        for (long t : tables) {
            // ctid too: a row that was updated and set back sits elsewhere, and is restored like any change
            sql.add("select " + literal("t:" + t) + ", (select md5(coalesce(string_agg(x.ctid::text || x::text, '|'"
                    + " order by x.ctid), '')) from only " + names.get(t) + " x)");
        }
        for (String s : sequences) {
            sql.add("select " + literal("s:" + s) + ", (select last_value::text || ' ' || is_called::text from "
                    + s + ")");
        }
        return sql.toString();
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
    Map<String, String> observe(Connection c) throws SQLException {
        return keyed(c, observeSql);
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
                for (long t : tables) {
                    if (changed.contains(t) && !columns.get(t).isEmpty()) {
                        execute(c, "insert into " + names.get(t) + " (" + columns.get(t) + ") overriding system value "
                                + "select " + columns.get(t) + " from pg_temp." + PREFIX + t);
                    }
                }
            }
            for (String s : moved) {
                String[] v = sequenceValues.get(s);
                rows(c, "select setval(" + literal(s) + ", " + v[0] + ", " + ("t".equals(v[1]) || "true".equals(v[1]))
                        + ")", 1);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
