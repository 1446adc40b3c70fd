package dev.holdfast.record;

import dev.holdfast.error.MappingException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.Function;

/**
 * Column assignments for an atomic update: one {@code UPDATE ... SET ...} statement that computes the new values in
 * the database, so two concurrent increments both count, with no read before the write.
 *
 * <pre>{@code
 * import static dev.holdfast.record.Update.*;
 *
 * Counter c = tx.update(Counter.class, id, set(Counter::count, plus(1)));        // count = count + 1
 * Job j     = tx.update(Job.class, id, set("state", State.DONE), set("attempts", plus(1)));
 * Item i    = tx.update(Item.class, id, set("note", coalesce("none")));          // note = coalesce(note, 'none')
 * Item k    = tx.update(Item.class, id, set("price", sql("round(price * ?, 2)", 1.1)));
 * }</pre>
 *
 * <p>A column is named by its record accessor ({@code Counter::count}) or by the component's or column's name
 * ({@code "count"}). The row's {@link Version} column, when it has one, is bumped by the same statement.
 */
public final class Update {
    private Update() {
    }

    /** One {@code column = expression} of an UPDATE's SET list. Made by {@link #set(String, Object)}. */
    public record Assignment(String column, Expression expression) {
        public Assignment {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** The right-hand side of an assignment; made by the static factories of {@link Update}. */
    public sealed interface Expression permits Value, Plus, Minus, Coalesce, Sql {
    }

    /** {@code column = ?}. */
    public record Value(Object value) implements Expression {
    }

    /** {@code column = column + ?}. */
    public record Plus(Number amount) implements Expression {
    }

    /** {@code column = column - ?}. */
    public record Minus(Number amount) implements Expression {
    }

    /** {@code column = COALESCE(column, ?)}: fills the column only where it is NULL. */
    public record Coalesce(Object fallback) implements Expression {
    }

    /** {@code column = <sql>}, an SQL expression with its own {@code ?} placeholders and bound values. */
    public record Sql(String sql, Object[] args) implements Expression {
    }

    /**
     * A record accessor used to name a column, e.g. {@code Counter::count}. Serializable so that the accessor's name
     * can be read from the method reference.
     */
    @FunctionalInterface
    public interface Property<T, R> extends Function<T, R>, Serializable {
    }

    /**
     * {@code column = value}, where value is a plain value (bound as a parameter) or an expression from
     * {@link #plus}, {@link #minus}, {@link #coalesce} or {@link #sql}.
     *
     * <pre>{@code set("state", "DONE"); set("count", plus(1));}</pre>
     */
    public static Assignment set(String column, Object value) {
        return new Assignment(column, value instanceof Expression e ? e : new Value(value));
    }

    /**
     * {@link #set(String, Object)} with the column named by a record accessor.
     *
     * <pre>{@code set(Counter::count, plus(1))}</pre>
     */
    public static <T> Assignment set(Property<T, ?> accessor, Object value) {
        return set(accessorName(accessor), value);
    }

    /** {@code column + amount}, computed by the database. */
    public static Expression plus(Number amount) {
        return new Plus(Objects.requireNonNull(amount, "amount"));
    }

    /** {@code column - amount}, computed by the database. */
    public static Expression minus(Number amount) {
        return new Minus(Objects.requireNonNull(amount, "amount"));
    }

    /** {@code COALESCE(column, fallback)}: keeps a non-NULL value, fills a NULL one. */
    public static Expression coalesce(Object fallback) {
        return new Coalesce(fallback);
    }

    /**
     * A raw SQL expression with bound values, e.g. {@code sql("greatest(high_score, ?)", score)}. Column names in it
     * are written as the database expects them; values always go through {@code ?}.
     */
    public static Expression sql(String expression, Object... args) {
        return new Sql(Objects.requireNonNull(expression, "expression"), args == null ? new Object[0] : args.clone());
    }

    private static String accessorName(Property<?, ?> accessor) {
        try {
            Method writeReplace = accessor.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(accessor);
            String name = lambda.getImplMethodName();
            if (name.startsWith("lambda$")) {
                throw new MappingException("set(...) needs a method reference to a record accessor such as "
                        + "Counter::count, not a lambda; or name the column: set(\"count\", ...)");
            }
            return name;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof MappingException m) {
                throw m;
            }
            throw new MappingException("Cannot read the accessor name from " + accessor + "; name the column "
                    + "instead: set(\"column\", ...)", e);
        }
    }
}
