package dev.holdfast.internal.record;

import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.MappingException;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.internal.Session;
import dev.holdfast.internal.dialect.MariaDbDialect;
import dev.holdfast.record.Condition;
import dev.holdfast.record.Update;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code UPDATE table SET ... WHERE id = ? [AND version = ?] [AND condition]}: the statement behind atomic updates,
 * guarded updates, {@code modify} and optimistic updates, with the new row read back in as few round trips as each
 * database allows.
 *
 * <p>PostgreSQL and SQLite return the row with {@code RETURNING}. MariaDB has no {@code UPDATE ... RETURNING}. Inside a
 * transaction the row is read again after the UPDATE, under the row lock the UPDATE took. On its own (autocommit) the
 * UPDATE captures every column's new value into session variables as it writes ({@code c = (@hf_2 := c + ?)}; MariaDB
 * evaluates a SET list left to right, on the row it locked), and a SELECT of those variables follows on the same
 * connection, in the same round trip: both go as one anonymous compound statement, {@code BEGIN NOT ATOMIC UPDATE ...;
 * SELECT ... FROM DUAL WHERE ROW_COUNT() > 0; END}. The row read back is exactly the row this UPDATE wrote (session
 * variables belong to this connection; no other session can change them between the two), a row not found reads back
 * nothing (ROW_COUNT()), and the row lock ends with the UPDATE, which commits on its own inside the block. (MySQL has
 * no compound statements outside stored programs; there the SELECT is a second round trip.)
 */
final class AtomicUpdate {
    private AtomicUpdate() {
    }

    /**
     * Names an operation in messages, e.g. {@code update(Counter.class, 5, ...)}, built only when a message needs it:
     * formatting it on every call was an allocation on the hot path of every atomic update (issue 18).
     */
    record What(String operation, Class<?> type, Object id) {
        @Override
        public String toString() {
            return operation + "(" + type.getSimpleName() + ".class, " + id + ", ...)";
        }
    }

    private static void requireId(RecordType<?> type, Object what) {
        if (type.id == null || type.table == null) {
            type.requireId(String.valueOf(what));
        }
    }

    /** One {@code column = expression} of a SET list, as SQL, its values already in the argument list. */
    record Term(RecordType.Field field, String expression) {
    }

    /** The assignments as terms, each checked against its component's type; their values are added to args. */
    static List<Term> terms(RecordType<?> type, RecordSql sql, Object what, Update.Assignment<?>[] assignments,
                            List<Object> args) {
        if (assignments == null || assignments.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one set(...)");
        }
        List<Term> terms = new ArrayList<>(assignments.length);
        for (Update.Assignment<?> a : assignments) {
            if (a == null) {
                throw new IllegalArgumentException(what + ": an assignment is null");
            }
            RecordType.Field f = type.field(a.column());
            if (f == type.id) {
                throw new HoldfastException(what + " cannot set the @Id " + f.name());
            }
            if (f == type.version) {
                throw new HoldfastException(what + " cannot set the @Version " + f.name()
                        + "; Holdfast bumps it on every write");
            }
            for (Term t : terms) {
                if (t.field() == f) {
                    throw new HoldfastException(what + " sets " + f.name() + " twice; combine the two into one set");
                }
            }
            String c = sql.quote(f.column());
            String expression;
            Update.Expression<?> e = a.expression();
            if (e instanceof Update.Value<?> v) {
                checkValue(type, f, v.value(), what);
                expression = "?";
                args.add(v.value());
            } else if (e instanceof Update.Plus<?> p) {
                checkNumeric(type, f, "plus", p.amount(), what);
                expression = c + " + ?";
                args.add(p.amount());
            } else if (e instanceof Update.Minus<?> m) {
                checkNumeric(type, f, "minus", m.amount(), what);
                expression = c + " - ?";
                args.add(m.amount());
            } else if (e instanceof Update.Coalesce<?> k) {
                checkValue(type, f, k.fallback(), what);
                expression = "COALESCE(" + c + ", ?)";
                args.add(k.fallback());
            } else {
                Update.Sql<?> q = (Update.Sql<?>) e;
                expression = "(" + q.sql() + ")";
                args.addAll(Arrays.asList(q.args()));
            }
            terms.add(new Term(f, expression));
        }
        return terms;
    }

    /** {@code (column op ?) AND ...} for a condition on the row; its values are added to args. */
    static String condition(RecordType<?> type, RecordSql sql, Object what, Condition<?> condition, List<Object> args) {
        if (condition instanceof Condition.Compare<?> c) {
            RecordType.Field f = type.field(c.column());
            String column = sql.quote(f.column());
            return switch (c.operator()) {
                case IS_NULL, IS_NOT_NULL -> column + " " + c.operator().sql();
                default -> {
                    checkValue(type, f, c.value(), what);
                    args.add(c.value());
                    yield column + " " + c.operator().sql() + " ?";
                }
            };
        }
        if (condition instanceof Condition.All<?> all) {
            StringBuilder b = new StringBuilder();
            for (Condition<?> part : all.conditions()) {
                b.append(b.length() == 0 ? "" : " AND ").append('(').append(condition(type, sql, what, part, args))
                        .append(')');
            }
            return b.toString();
        }
        throw new IllegalArgumentException(what + " needs a condition from Condition's factories, got " + condition);
    }

    /** The atomic update by id; the new row, or empty when no row has this id (or the condition did not hold). */
    static <T> Optional<T> byId(Session tx, Class<T> recordClass, Object id, Condition<?> condition,
                                Update.Assignment<?>[] assignments, Object what) {
        RecordType<T> type = RecordType.of(recordClass);
        requireId(type, what);
        TableShape shape = TableShape.of(tx, type, what);
        RecordSql sql = type.sql(tx.dialect());
        if (condition == null) {
            return byPlan(tx, type, shape, sql, assignments, id, what);
        }
        List<Object> args = new ArrayList<>();
        List<Term> terms = terms(type, sql, what, assignments, args);
        List<Object> whereArgs = new ArrayList<>(2);
        String where = condition(type, sql, what, condition, whereArgs);
        return write(tx, type, shape, terms, args, id, null, where, whereArgs);
    }

    /** The same statement without reading the row back: true when a row was written. One round trip everywhere. */
    static <T> boolean apply(Session tx, Class<T> recordClass, Object id, Condition<?> condition,
                             Update.Assignment<?>[] assignments, Object what) {
        RecordType<T> type = RecordType.of(recordClass);
        requireId(type, what);
        TableShape shape = TableShape.of(tx, type, what);
        RecordSql sql = type.sql(tx.dialect());
        if (condition == null) {
            Plan plan = plan(type, sql, shape, Plan.APPLY, assignments, what);
            return tx.execute(plan.sql, plan.bind(type, assignments, id, what)) > 0;
        }
        List<Object> args = new ArrayList<>();
        List<Term> terms = terms(type, sql, what, assignments, args);
        StringBuilder statement = new StringBuilder("UPDATE ").append(sql.table).append(" SET ");
        appendSet(statement, sql, type, terms, null);
        statement.append(" WHERE ").append(sql.quote(type.id.column())).append(" = ?");
        args.add(id);
        statement.append(" AND (").append(condition(type, sql, what, condition, args)).append(')');
        return tx.execute(statement.toString(), args.toArray()) > 0;
    }

    /** {@link #byId} without a condition, through the plan of its SET list's shape. */
    private static <T> Optional<T> byPlan(Session tx, RecordType<T> type, TableShape shape, RecordSql sql,
                                          Update.Assignment<?>[] assignments, Object id, Object what) {
        int mode = readBack(tx, sql, shape);
        Plan plan = plan(type, sql, shape, mode, assignments, what);
        Object[] args = plan.bind(type, assignments, id, what);
        RecordReader<T> reader = RecordReader.inOrder(type, tx.dialect());
        if (mode == Plan.RETURNING || mode == Plan.COMPOUND) {
            List<T> rows = tx.queryWriting(plan.sql, args, reader);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
        if (tx.execute(plan.sql, args) == 0) {
            return Optional.empty();
        }
        return tx.queryOne(reader, mode == Plan.CAPTURE ? plan.select : sql.selectById(), id);
    }

    /** How {@link #write} reads the new row back on this database and in this transaction: a {@link Plan} mode. */
    private static int readBack(Session tx, RecordSql sql, TableShape shape) {
        if (sql.updateReturning) {
            return Plan.RETURNING;
        }
        if (tx.runsEachStatementAlone()) {
            if (!shape.mariaDbCapturable) {
                throw new HoldfastException("Internal: an atomic update of " + sql.type.type.getSimpleName()
                        + " on MariaDB needs a transaction to read the new row back");
            }
            return shape.mariaDbCompound ? Plan.COMPOUND : Plan.CAPTURE;
        }
        return Plan.SELECT;
    }

    /** The plan for these assignments' shape: a cached one, or one built now (and cached, up to a limit). */
    private static Plan plan(RecordType<?> type, RecordSql sql, TableShape shape, int mode,
                             Update.Assignment<?>[] assignments, Object what) {
        if (assignments == null || assignments.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one set(...)");
        }
        Plan[] known = shape.updatePlans;
        for (Plan p : known) {
            if (p.matches(assignments, mode)) {
                return p;
            }
        }
        Plan built = Plan.build(type, sql, shape, mode, assignments, what);
        synchronized (shape) {
            Plan[] now = shape.updatePlans;
            // beyond the limit (columns chosen at run time in many combinations) the statement is built per call
            if (now.length < Plan.LIMIT) {
                Plan[] more = Arrays.copyOf(now, now.length + 1);
                more[now.length] = built;
                shape.updatePlans = more;
            }
        }
        return built;
    }

    /**
     * The SQL of an atomic update by id without a condition, for one shape of SET list (the columns in order and the
     * kind of each expression), one record type, one database and one way of reading the row back, built on the first
     * call of that shape and kept with the table's {@link TableShape}. Issue 18 put half the gap between
     * {@code update(Type, id, set(...))} and raw JDBC in the library's own work, building this text and its term list
     * on every call among it. Only the values are per call; each is checked against its component's type, as before.
     */
    static final class Plan {
        static final int APPLY = 0;       // UPDATE only
        static final int RETURNING = 1;   // UPDATE ... RETURNING (PostgreSQL, SQLite)
        static final int COMPOUND = 2;    // MariaDB: BEGIN NOT ATOMIC UPDATE capturing; SELECT of the capture; END
        static final int CAPTURE = 3;     // MariaDB without compound statements: UPDATE capturing, then SELECT
        static final int SELECT = 4;      // MariaDB in a transaction: UPDATE, then SELECT by id under its row lock
        static final int LIMIT = 64;

        final int mode;
        final String[] columns;           // as the assignments name them
        final Class<?>[] kinds;           // the expression classes
        final String[] rawSql;            // the text of an Update.Sql expression, else null
        final int[] rawArgs;              // the number of values of an Update.Sql expression
        final RecordType.Field[] fields;
        final int argCount;
        final String sql;
        final String select;              // CAPTURE: the SELECT of the captured values

        private Plan(int mode, Update.Assignment<?>[] assignments, RecordType.Field[] fields, int argCount,
                     String sql, String select) {
            this.mode = mode;
            int n = assignments.length;
            this.columns = new String[n];
            this.kinds = new Class<?>[n];
            this.rawSql = new String[n];
            this.rawArgs = new int[n];
            for (int i = 0; i < n; i++) {
                columns[i] = assignments[i].column();
                Update.Expression<?> e = assignments[i].expression();
                kinds[i] = e.getClass();
                if (e instanceof Update.Sql<?> q) {
                    rawSql[i] = q.sql();
                    rawArgs[i] = q.args().length;
                }
            }
            this.fields = fields;
            this.argCount = argCount;
            this.sql = sql;
            this.select = select;
        }

        static Plan build(RecordType<?> type, RecordSql sql, TableShape shape, int mode,
                          Update.Assignment<?>[] assignments, Object what) {
            List<Object> args = new ArrayList<>();
            List<Term> terms = terms(type, sql, what, assignments, args);   // checks the columns once, and the values
            RecordType.Field[] fields = new RecordType.Field[terms.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = terms.get(i).field();
            }
            boolean compound = mode == COMPOUND;
            boolean capture = compound || mode == CAPTURE;
            StringBuilder b = new StringBuilder(compound ? 192 : 96);
            if (compound) {
                b.append(COMPOUND_START);
            }
            b.append("UPDATE ").append(sql.table).append(" SET ");
            appendSet(b, sql, type, terms, capture ? type : null);
            b.append(" WHERE ").append(sql.quote(type.id.column())).append(" = ?");
            int argCount = args.size() + 1;
            String select = null;
            if (mode == RETURNING) {
                b.append(" RETURNING ").append(sql.columns);
            } else if (compound) {
                b.append("; ").append(capturedRow(type, shape)).append(ROW_FOUND);
                argCount++;
            } else if (mode == CAPTURE) {
                select = capturedRow(type, shape);
            }
            return new Plan(mode, assignments, fields, argCount, b.toString(), select);
        }

        boolean matches(Update.Assignment<?>[] assignments, int mode) {
            if (this.mode != mode || assignments.length != columns.length) {
                return false;
            }
            for (int i = 0; i < columns.length; i++) {
                Update.Assignment<?> a = assignments[i];
                if (a == null) {
                    return false;
                }
                String c = a.column();
                Update.Expression<?> e = a.expression();
                if (c != columns[i] && !c.equals(columns[i]) || e.getClass() != kinds[i]) {
                    return false;
                }
                if (e instanceof Update.Sql<?> q && (q.args().length != rawArgs[i] || !q.sql().equals(rawSql[i]))) {
                    return false;
                }
            }
            return true;
        }

        /** The statement's values: each assignment's, checked against its component, then the id (twice: COMPOUND). */
        Object[] bind(RecordType<?> type, Update.Assignment<?>[] assignments, Object id, Object what) {
            Object[] args = new Object[argCount];
            int k = 0;
            for (int i = 0; i < fields.length; i++) {
                Update.Expression<?> e = assignments[i].expression();
                RecordType.Field f = fields[i];
                if (e instanceof Update.Value<?> v) {
                    checkValue(type, f, v.value(), what);
                    args[k++] = v.value();
                } else if (e instanceof Update.Plus<?> p) {
                    checkNumeric(type, f, "plus", p.amount(), what);
                    args[k++] = p.amount();
                } else if (e instanceof Update.Minus<?> m) {
                    checkNumeric(type, f, "minus", m.amount(), what);
                    args[k++] = m.amount();
                } else if (e instanceof Update.Coalesce<?> c) {
                    checkValue(type, f, c.fallback(), what);
                    args[k++] = c.fallback();
                } else {
                    Object[] raw = ((Update.Sql<?>) e).args();
                    System.arraycopy(raw, 0, args, k, raw.length);
                    k += raw.length;
                }
            }
            args[k++] = id;
            if (mode == COMPOUND) {
                args[k] = id;
            }
            return args;
        }
    }

    /**
     * True when an atomic update of {@code recordClass}, run on its own on MariaDB, can return the new row without a
     * transaction (its table has been checked on this database and every column survives a session variable). Until
     * the first use has checked the table this is false, and the caller runs the update in a transaction.
     */
    static boolean capturesAlone(ConcurrentMap<Object, Object> memo, Class<?> recordClass) {
        return memo.get(RecordType.of(recordClass)) instanceof TableShape s && s.mariaDbCapturable;
    }

    /**
     * {@code UPDATE table SET <terms>[, version = version + 1] WHERE id = ? [AND version = ?] [AND (where)]}, returning
     * the new row, or empty when no row matched.
     */
    static <T> Optional<T> write(Session tx, RecordType<T> type, TableShape shape, List<Term> terms, List<Object> args,
                                 Object id, Object expectedVersion, String where, List<Object> whereArgs) {
        RecordSql sql = type.sql(tx.dialect());
        boolean maria = sql.dialect instanceof MariaDbDialect;
        // On its own, on MariaDB: the capturing UPDATE and the SELECT of what it captured, in one compound statement
        // (one round trip) where the server has them. Inside a transaction the row is read again under the row lock
        // instead, so that modify writes only the columns it changed, not every column to itself.
        boolean capture = maria && tx.runsEachStatementAlone();
        boolean compound = capture && shape.mariaDbCompound;
        if (capture && !shape.mariaDbCapturable) {
            throw new HoldfastException("Internal: an atomic update of " + type.type.getSimpleName() + " on MariaDB "
                    + "needs a transaction to read the new row back");
        }
        StringBuilder statement = new StringBuilder(compound ? 192 : 96);
        if (compound) {
            statement.append(COMPOUND_START);
        }
        statement.append("UPDATE ").append(sql.table).append(" SET ");
        appendSet(statement, sql, type, terms, capture ? type : null);
        statement.append(" WHERE ").append(sql.quote(type.id.column())).append(" = ?");
        args.add(id);
        if (expectedVersion != null) {
            statement.append(" AND ").append(sql.quote(type.version.column())).append(" = ?");
            args.add(expectedVersion);
        }
        if (where != null) {
            statement.append(" AND (").append(where).append(')');
            args.addAll(whereArgs);
        }
        RecordReader<T> reader = RecordReader.inOrder(type, tx.dialect());
        if (sql.updateReturning) {
            statement.append(" RETURNING ").append(sql.columns);
            List<T> rows = tx.queryWriting(statement.toString(), args.toArray(), reader);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
        if (compound) {
            statement.append("; ").append(capturedRow(type, shape)).append(ROW_FOUND);
            args.add(id);
            List<T> rows = tx.queryWriting(statement.toString(), args.toArray(), reader);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
        if (tx.execute(statement.toString(), args.toArray()) == 0) {
            return Optional.empty();
        }
        if (capture) {
            return tx.queryOne(reader, capturedRow(type, shape), id);
        }
        return tx.queryOne(reader, sql.selectById(), id);
    }

    /**
     * Opens MariaDB's anonymous compound statement. Not {@code BEGIN WORK}: it starts no transaction; in autocommit
     * mode each statement inside it commits on its own, so the UPDATE's row lock ends before the SELECT runs.
     */
    static final String COMPOUND_START = "BEGIN NOT ATOMIC ";

    /**
     * Ends the compound statement after its SELECT of the captured values. ROW_COUNT() is the UPDATE's count of rows
     * found (Connector/J connects with CLIENT_FOUND_ROWS, as {@code execute}'s count relies on too): no row is read
     * back when the UPDATE found none, never the variables a previous statement of this session left behind.
     */
    static final String ROW_FOUND = " FROM DUAL WHERE ROW_COUNT() > 0; END";

    /**
     * Appends the SET list. With {@code capture}, every column but the id is also assigned to a session variable
     * {@code @hf_<index>}: written columns as they are computed, the version as it is bumped, the others as they are
     * ({@code c = (@hf_3 := c)}, which writes the value the row already holds, under the row lock this UPDATE holds).
     */
    static void appendSet(StringBuilder b, RecordSql sql, RecordType<?> type, List<Term> terms,
                                  RecordType<?> capture) {
        boolean first = true;
        for (Term t : terms) {
            first = term(b, first, sql.quote(t.field().column()), t.expression(), capture == null ? -1 : t.field().index());
        }
        if (type.version != null) {
            String v = sql.quote(type.version.column());
            first = term(b, first, v, v + " + 1", capture == null ? -1 : type.version.index());
        }
        if (capture == null) {
            return;
        }
        for (RecordType.Field f : type.fields) {
            if (f == type.id || f == type.version || assigned(terms, f)) {
                continue;
            }
            String c = sql.quote(f.column());
            first = term(b, first, c, c, f.index());
        }
    }

    private static boolean term(StringBuilder b, boolean first, String column, String expression, int variable) {
        if (!first) {
            b.append(", ");
        }
        b.append(column).append(" = ");
        if (variable < 0) {
            b.append(expression);
        } else {
            b.append("(@hf_").append(variable).append(" := ").append(expression).append(')');
        }
        return false;
    }

    private static boolean assigned(List<Term> terms, RecordType.Field f) {
        for (Term t : terms) {
            if (t.field() == f) {
                return true;
            }
        }
        return false;
    }

    /** {@code SELECT ?, CAST(@hf_1 AS ...), @hf_2 ...}: the row the capturing UPDATE wrote, in component order. */
    private static String capturedRow(RecordType<?> type, TableShape shape) {
        StringBuilder b = new StringBuilder("SELECT ");
        for (RecordType.Field f : type.fields) {
            if (f.index() > 0) {
                b.append(", ");
            }
            String cast = shape.mariaDbCast[f.index()];
            if (f == type.id) {
                b.append('?');
            } else if (cast != null) {
                b.append("CAST(@hf_").append(f.index()).append(" AS ").append(cast).append(')');
            } else {
                b.append("@hf_").append(f.index());
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------- value checks

    private static void checkValue(RecordType<?> type, RecordType.Field f, Object value, Object what) {
        Class<?> t = f.type();
        if (value == null) {
            if (t.isPrimitive()) {
                throw new MappingException(what + ": " + type.type.getSimpleName() + "." + f.name() + " is a "
                        + t.getSimpleName() + " and cannot be set to NULL");
            }
            return;
        }
        if (fits(t, value)) {
            return;
        }
        throw new MappingException(what + ": " + type.type.getSimpleName() + "." + f.name() + " is a "
                + t.getSimpleName() + ", but the value " + value + " is a " + value.getClass().getSimpleName()
                + "; pass a " + box(t).getSimpleName() + " (set(" + type.type.getSimpleName() + "::" + f.name()
                + ", value) checks this when it compiles)");
    }

    private static void checkNumeric(RecordType<?> type, RecordType.Field f, String op, Number amount, Object what) {
        if (!numeric(f.type())) {
            throw new MappingException(what + ": " + op + "(" + amount + ") is for numeric columns; "
                    + type.type.getSimpleName() + "." + f.name() + " is a " + f.type().getSimpleName());
        }
        if (integral(f.type()) && !integralNumber(amount)) {
            throw new MappingException(what + ": " + type.type.getSimpleName() + "." + f.name() + " is a "
                    + f.type().getSimpleName() + ", so " + op + "(" + amount + ") would be rounded by the database; "
                    + "pass a whole number");
        }
    }

    private static boolean fits(Class<?> t, Object value) {
        if (box(t).isInstance(value)) {
            return true;
        }
        if (value instanceof Number n && numeric(t)) {
            return !integral(t) || integralNumber(n);
        }
        return false;
    }

    private static boolean numeric(Class<?> t) {
        return integral(t) || t == double.class || t == Double.class || t == float.class || t == Float.class
                || t == BigDecimal.class;
    }

    private static boolean integral(Class<?> t) {
        return t == long.class || t == Long.class || t == int.class || t == Integer.class || t == short.class
                || t == Short.class || t == byte.class || t == Byte.class;
    }

    private static boolean integralNumber(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        // not MethodType.methodType(t).wrap(): that allocates on every check of every value (issue 18)
        if (t == long.class) {
            return Long.class;
        }
        if (t == int.class) {
            return Integer.class;
        }
        if (t == boolean.class) {
            return Boolean.class;
        }
        if (t == double.class) {
            return Double.class;
        }
        if (t == float.class) {
            return Float.class;
        }
        if (t == short.class) {
            return Short.class;
        }
        if (t == byte.class) {
            return Byte.class;
        }
        return t == char.class ? Character.class : Void.class;
    }

    static NotFoundException notFound(RecordType<?> type, Object id) {
        return new NotFoundException("No " + type.describe(id) + " in table " + type.table
                + "; use find(...) for an Optional when the row may be absent");
    }
}
