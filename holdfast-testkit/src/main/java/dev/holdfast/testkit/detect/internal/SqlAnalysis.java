package dev.holdfast.testkit.detect.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/** The SQL analysis: JSqlParser for the structure, a few patterns for what parsers see differently. */
public final class SqlAnalysis {
    private static final Pattern ADVISORY = Pattern.compile(
            "\\b(PG_ADVISORY_XACT_LOCK|PG_ADVISORY_LOCK|PG_TRY_ADVISORY_XACT_LOCK|PG_TRY_ADVISORY_LOCK|"
                    + "PG_ADVISORY_XACT_LOCK_SHARED|PG_ADVISORY_LOCK_SHARED|GET_LOCK)\\s*\\(");
    private static final Pattern TABLE_LOCK = Pattern.compile("^\\s*LOCK\\s+TABLES?\\b");
    private static final Pattern FOR_UPDATE = Pattern.compile("\\bFOR\\s+(NO\\s+KEY\\s+)?UPDATE\\b");
    private static final Pattern FOR_SHARE = Pattern.compile("\\bFOR\\s+(KEY\\s+)?SHARE\\b|\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b");
    private static final Pattern AGGREGATE = Pattern.compile("\\b(COUNT|SUM|AVG|MIN|MAX)\\s*\\(");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_\"`][A-Za-z0-9_\"`.]*");
    private static final Pattern MARIADB_ASSIGN = Pattern.compile("\\(\\s*@\\w+\\s*:=\\s*");
    /** Holdfast's one-round-trip atomic update on MariaDB: the UPDATE, then a SELECT of session variables only. */
    private static final Pattern MARIADB_COMPOUND = Pattern.compile(
            "(?is)^\\s*BEGIN\\s+NOT\\s+ATOMIC\\s+(UPDATE\\b[^;]*);\\s*SELECT\\b[^;]*;\\s*END\\s*$");

    private SqlAnalysis() {
    }

    /** Thrown when the SQL cannot be parsed. */
    public static final class Unparsed extends Exception {
        Unparsed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static SqlFacts analyse(String sql, List<Object> parameters) throws Unparsed {
        Matcher compound = MARIADB_COMPOUND.matcher(sql);
        if (compound.matches()) {
            // the SELECT reads no table (only what the UPDATE captured), and its parameter comes after the UPDATE's
            sql = compound.group(1);
        }
        String upper = sql.toUpperCase(Locale.ROOT);
        if (ADVISORY.matcher(upper).find()) {
            return simple(SqlFacts.Type.ADVISORY_LOCK);
        }
        if (TABLE_LOCK.matcher(upper).find()) {
            return simple(SqlFacts.Type.TABLE_LOCK);
        }
        SqlFacts.Lock lock = FOR_UPDATE.matcher(upper).find() ? SqlFacts.Lock.UPDATE
                : FOR_SHARE.matcher(upper).find() ? SqlFacts.Lock.SHARE : SqlFacts.Lock.NONE;
        boolean skipLocked = upper.contains("SKIP LOCKED");
        boolean noWait = upper.contains("NOWAIT");
        String text = sql.replaceAll("(?i)\\bLOCK\\s+IN\\s+SHARE\\s+MODE\\b", "");
        // MariaDB's RETURNING emulation: SET n = (@v := n + ?) is n = n + ?
        Matcher m = MARIADB_ASSIGN.matcher(text);
        if (m.find()) {
            text = m.replaceAll("(");
        }
        Parsed parsed = parse(text);
        if (parsed.failure != null) {
            throw new Unparsed(sql, parsed.failure);
        }
        Statement st = parsed.statement;
        Params params = new Params(parameters);
        if (st instanceof Select select) {
            PlainSelect ps = plain(select);
            if (ps == null) {
                return new SqlFacts(SqlFacts.Type.SELECT, null, parsed.tables(), Map.of(), List.of("(set operation)"), true,
                        AGGREGATE.matcher(upper).find(), null, lock, skipLocked, noWait, Set.of(), Set.of(), Set.of(),
                        Map.of());
            }
            Where w = where(ps.getWhere(), params);
            boolean aggregate = ps.getGroupBy() != null || AGGREGATE.matcher(selectList(ps).toUpperCase(Locale.ROOT)).find();
            boolean joined = ps.getJoins() != null && !ps.getJoins().isEmpty();
            List<String> columns = columns(ps);
            String table = tableName(ps.getFromItem());
            List<String> guards = new ArrayList<>(w.guards);
            if (joined) {
                guards.add("(join)");
            }
            if (ps.getFromItem() != null && !(ps.getFromItem() instanceof Table)) {
                guards.add("(sub-query)");
            }
            return new SqlFacts(SqlFacts.Type.SELECT, table, parsed.tables(), w.keys, guards, ps.getWhere() != null,
                    aggregate, columns, lock, skipLocked, noWait, Set.of(), Set.of(), Set.of(), Map.of());
        }
        if (st instanceof Update u) {
            // parameters of SET come before those of WHERE
            Set<String> absolute = new LinkedHashSet<>();
            Set<String> relative = new LinkedHashSet<>();
            for (UpdateSet set : u.getUpdateSets()) {
                List<Column> cols = set.getColumns();
                for (int i = 0; i < cols.size(); i++) {
                    String c = name(cols.get(i).getColumnName());
                    Expression v = i < set.getValues().size() ? set.getValues().get(i) : null;
                    String vt = v == null ? "" : v.toString();
                    if (v != null && refersTo(vt, c)) {
                        relative.add(c);
                    } else {
                        absolute.add(c);
                    }
                    params.skip(v);
                }
            }
            Where w = where(u.getWhere(), params);
            Set<String> version = new LinkedHashSet<>();
            for (String c : w.keys.keySet()) {
                if (absolute.contains(c) || relative.contains(c)) {
                    version.add(c);
                }
            }
            for (String g : w.guardColumns) {
                if (absolute.contains(g) || relative.contains(g)) {
                    version.add(g);
                }
            }
            List<String> guards = new ArrayList<>(w.guards);
            if (u.getJoins() != null && !u.getJoins().isEmpty() || u.getFromItem() != null) {
                guards.add("(join)");
            }
            return new SqlFacts(SqlFacts.Type.UPDATE, name(u.getTable().getName()), parsed.tables(), w.keys, guards,
                    u.getWhere() != null, false, null, SqlFacts.Lock.NONE, false, false, absolute, relative, version,
                    Map.of());
        }
        if (st instanceof Delete d) {
            Where w = where(d.getWhere(), params);
            return new SqlFacts(SqlFacts.Type.DELETE, name(d.getTable().getName()), parsed.tables(), w.keys, w.guards,
                    d.getWhere() != null, false, null, SqlFacts.Lock.NONE, false, false, Set.of(), Set.of(), Set.of(),
                    Map.of());
        }
        if (st instanceof Insert ins) {
            Map<String, String> inserted = new LinkedHashMap<>();
            if (ins.getColumns() != null && ins.getSelect() instanceof Values values
                    && values.getExpressions() != null) {
                List<?> rows = values.getExpressions();
                List<?> row = rows;
                if (rows.size() == 1 && rows.get(0) instanceof ParenthesedExpressionList<?> only) {
                    row = only;
                }
                if (row.size() == ins.getColumns().size()) {
                    for (int i = 0; i < row.size(); i++) {
                        Object e = row.get(i);
                        String value = e instanceof Expression ex ? params.value(ex) : null;
                        if (value != null) {
                            inserted.put(name(ins.getColumns().get(i).getColumnName()), value);
                        }
                    }
                }
            }
            return new SqlFacts(SqlFacts.Type.INSERT, name(ins.getTable().getName()), parsed.tables(), Map.of(), List.of(),
                    false, false, null, SqlFacts.Lock.NONE, false, false, Set.of(), Set.of(), Set.of(), inserted);
        }
        return simple(SqlFacts.Type.OTHER);
    }

    /** A parse, or why there is none; the AST is only read, never changed, so it is shared. */
    private record Parsed(Statement statement, Set<String> tables, Throwable failure) {
    }

    /** The last parses by SQL text: a test suite sends few distinct statements many times, and parsing is slow. */
    private static final Map<String, Parsed> PARSED = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
                    return size() > 4096;
                }
            });

    private static Parsed parse(String text) {
        Parsed p = PARSED.get(text);
        if (p != null) {
            return p;
        }
        try {
            Statement st = CCJSqlParserUtil.parse(text);
            Set<String> tables = new LinkedHashSet<>();
            try {
                for (String t : new net.sf.jsqlparser.util.TablesNamesFinder<Void>().getTables(st)) {
                    tables.add(name(t));
                }
            } catch (RuntimeException e) {
                // the primary table is enough
            }
            p = new Parsed(st, Set.copyOf(tables), null);
        } catch (JSQLParserException | RuntimeException | Error e) {
            p = new Parsed(null, Set.of(), e);
        }
        PARSED.put(text, p);
        return p;
    }

    private static SqlFacts simple(SqlFacts.Type type) {
        return new SqlFacts(type, null, Set.of(), Map.of(), List.of(), false, false, null, SqlFacts.Lock.NONE, false,
                false, Set.of(), Set.of(), Set.of(), Map.of());
    }

    private static PlainSelect plain(Select select) {
        if (select instanceof PlainSelect ps) {
            return ps;
        }
        try {
            return select.getPlainSelect();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String selectList(PlainSelect ps) {
        StringBuilder b = new StringBuilder();
        for (SelectItem<?> item : ps.getSelectItems()) {
            b.append(item).append(',');
        }
        if (ps.getHaving() != null) {
            b.append(ps.getHaving());
        }
        return b.toString();
    }

    private static List<String> columns(PlainSelect ps) {
        List<String> out = new ArrayList<>();
        for (SelectItem<?> item : ps.getSelectItems()) {
            Expression e = item.getExpression();
            if (e instanceof Column c) {
                if (c.getColumnName().equals("*")) {
                    return null;
                }
                out.add(name(c.getColumnName()));
            } else if (e != null && e.toString().contains("*")) {
                return null;
            } else {
                out.add(e == null ? "?" : e.toString().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    static String tableName(FromItem from) {
        return from instanceof Table t ? name(t.getName()) : null;
    }

    /** Lower case, quotes and schema removed. */
    public static String name(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw;
        int dot = s.lastIndexOf('.');
        if (dot >= 0) {
            s = s.substring(dot + 1);
        }
        return s.replace("\"", "").replace("`", "").replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
    }

    private static boolean refersTo(String expression, String column) {
        String e = expression.replace("\"", "").replace("`", "").toLowerCase(Locale.ROOT);
        return Pattern.compile("(^|[^a-z0-9_.])([a-z0-9_]+\\.)?" + Pattern.quote(column) + "($|[^a-z0-9_])").matcher(e)
                .find();
    }

    /** The WHERE clause: equality and IN keys, and the rest. */
    private static final class Where {
        final Map<String, List<String>> keys = new LinkedHashMap<>();
        final List<String> guards = new ArrayList<>();
        final Set<String> guardColumns = new LinkedHashSet<>();
    }

    private static Where where(Expression where, Params params) {
        Where w = new Where();
        if (where == null) {
            return w;
        }
        List<Expression> conjuncts = new ArrayList<>();
        flatten(where, conjuncts);
        for (Expression c : conjuncts) {
            if (c instanceof EqualsTo eq) {
                Column col = eq.getLeftExpression() instanceof Column l ? l
                        : eq.getRightExpression() instanceof Column r ? r : null;
                Expression other = col == eq.getLeftExpression() ? eq.getRightExpression() : eq.getLeftExpression();
                String v = col == null || other instanceof Column ? null : params.value(other);
                if (col != null && v != null) {
                    w.keys.computeIfAbsent(name(col.getColumnName()), k -> new ArrayList<>()).add(v);
                    continue;
                }
            } else if (c instanceof InExpression in && !in.isNot() && in.getLeftExpression() instanceof Column col
                    && in.getRightExpression() instanceof ExpressionList<?> list) {
                List<String> values = new ArrayList<>();
                boolean all = true;
                for (Object o : list) {
                    String v = o instanceof Expression e ? params.value(e) : null;
                    if (v == null) {
                        all = false;
                        break;
                    }
                    values.add(v);
                }
                if (all && !values.isEmpty()) {
                    w.keys.put(name(col.getColumnName()), values);
                    continue;
                }
            }
            params.skip(c);
            w.guards.add(c.toString());
            Matcher m = IDENTIFIER.matcher(c.toString());
            while (m.find()) {
                w.guardColumns.add(name(m.group()));
            }
        }
        return w;
    }

    private static void flatten(Expression e, List<Expression> out) {
        if (e instanceof InExpression in && in.getRightExpression() instanceof AndExpression rest) {
            // JSqlParser 5.3 parses "a IN (?, ?) AND b > ?" as "a IN ((?, ?) AND b > ?)": take the list back out
            List<Expression> parts = new ArrayList<>();
            flatten(rest, parts);
            Expression list = parts.get(0) instanceof ExpressionList<?> ? parts.get(0)
                    : new ParenthesedExpressionList<>(parts.get(0));
            InExpression fixed = new InExpression(in.getLeftExpression(), list);
            fixed.setNot(in.isNot());
            out.add(fixed);
            out.addAll(parts.subList(1, parts.size()));
        } else if (e instanceof AndExpression and) {
            flatten(and.getLeftExpression(), out);
            flatten(and.getRightExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.Parenthesis p) {
            flatten(p.getExpression(), out);
        } else if (e instanceof ParenthesedExpressionList<?> pl && pl.size() == 1) {
            flatten((Expression) pl.get(0), out);
        } else {
            out.add(e);
        }
    }

    /** Bound values by placeholder position, consumed in the order the placeholders appear. */
    private static final class Params {
        private final List<Object> values;

        Params(List<Object> values) {
            this.values = values;
        }

        /** The value of a literal or placeholder, normalised; null for anything else. */
        String value(Expression e) {
            if (e instanceof JdbcParameter p) {
                int i = p.getIndex() == null ? -1 : p.getIndex() - 1;
                return i >= 0 && i < values.size() ? normalise(values.get(i)) : "?" + (i + 1);
            }
            if (e instanceof LongValue l) {
                return normalise(l.getBigIntegerValue());
            }
            if (e instanceof DoubleValue d) {
                return normalise(BigDecimal.valueOf(d.getValue()));
            }
            if (e instanceof StringValue s) {
                return s.getValue();
            }
            if (e instanceof NullValue) {
                return "null";
            }
            return null;
        }

        void skip(Object e) {
            // placeholders carry their own index; nothing to consume
        }
    }

    /** A bound value as text: numbers without trailing zeros, so 1, 1L and 1.00 are the same key. */
    public static String normalise(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unused")
    private static List<Join> none() {
        return List.of();
    }
}
