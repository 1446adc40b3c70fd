package dev.holdfast.record;

import java.util.Objects;

/**
 * Column assignments for an atomic update: one {@code UPDATE ... SET ...} statement that computes the new values in
 * the database, so two concurrent increments both count, with no read before the write.
 *
 * <pre>{@code
 * import static dev.holdfast.record.Update.*;
 *
 * Counter c = db.update(Counter.class, id, set(Counter::count, plus(1)));          // count = count + 1
 * Job j     = db.update(Job.class, id, set(Job::state, State.DONE), set(Job::attempts, plus(1)));
 * Item i    = db.update(Item.class, id, set(Item::note, coalesce("none")));         // note = coalesce(note, 'none')
 * Item k    = db.update(Item.class, id, set(Item::price, sql("round(price * ?, 2)", 1.1)));
 * }</pre>
 *
 * <p>Named by a record accessor ({@code Counter::count}), a column is typed: {@code set(Product::stock, "abc")} and
 * {@code set(Product::name, plus(1))} do not compile, and a {@code long} column takes {@code 5L}, not {@code 5}.
 * {@link #plus} and {@link #minus} take numbers only. Named by a string ({@code set("count", plus(1))}, for columns
 * chosen at run time) the same checks happen when the statement is built, as a {@link
 * dev.holdfast.error.MappingException}. The row's {@link Version} column, when it has one, is bumped by the same
 * statement.
 */
public final class Update {
    private Update() {
    }

    /**
     * One {@code column = expression} of an UPDATE's SET list, for rows of {@code T}. Made by {@code set(...)}.
     *
     * @param column the component's or the column's name
     */
    public record Assignment<T>(String column, Expression<?> expression) {
        public Assignment {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** The right-hand side of an assignment, for a column holding {@code V}; made by the factories of {@link Update}. */
    public sealed interface Expression<V> permits Value, Plus, Minus, Coalesce, Sql {
    }

    /** {@code column = ?}. */
    public record Value<V>(V value) implements Expression<V> {
    }

    /** {@code column = column + ?}. */
    public record Plus<V extends Number>(V amount) implements Expression<V> {
    }

    /** {@code column = column - ?}. */
    public record Minus<V extends Number>(V amount) implements Expression<V> {
    }

    /** {@code column = COALESCE(column, ?)}: fills the column only where it is NULL. */
    public record Coalesce<V>(V fallback) implements Expression<V> {
    }

    /** {@code column = <sql>}, an SQL expression with its own {@code ?} placeholders and bound values. */
    public record Sql<V>(String sql, Object[] args) implements Expression<V> {
    }

    /**
     * {@code column = value}, typed by the component: {@code set(Product::stock, 5)}, {@code set(Job::state,
     * State.DONE)}. For {@code NULL} use {@link #setNull(Property)}; for a {@code byte[]} component
     * {@link #set(Property, byte[])}.
     */
    public static <T, V extends Comparable<? super V>> Assignment<T> set(Property<T, V> component, V value) {
        return new Assignment<>(component.name(), new Value<>(value));
    }

    /** {@code column = value} for a {@code byte[]} component. */
    public static <T> Assignment<T> set(Property<T, byte[]> component, byte[] value) {
        return new Assignment<>(component.name(), new Value<>(value));
    }

    /**
     * {@code column = expression}: {@code set(Counter::count, plus(1))}, {@code set(Item::note, coalesce("none"))}.
     */
    public static <T, V> Assignment<T> set(Property<T, V> component, Expression<V> expression) {
        return new Assignment<>(component.name(), Objects.requireNonNull(expression, "expression"));
    }

    /** {@code column = NULL}; refused for a primitive component. */
    public static <T> Assignment<T> setNull(Property<T, ?> component) {
        return new Assignment<>(component.name(), new Value<>(null));
    }

    /**
     * {@code column = value} with the column named by a string, for columns chosen at run time: a plain value (bound
     * as a parameter) or an expression from {@link #plus}, {@link #minus}, {@link #coalesce} or {@link #sql}. The value
     * is checked against the component's type when the statement is built.
     *
     * <pre>{@code set("state", State.DONE); set("count", plus(1));}</pre>
     */
    public static <T> Assignment<T> set(String column, Object value) {
        return new Assignment<>(column, value instanceof Expression<?> e ? e : new Value<>(value));
    }

    /** {@code column + amount}, computed by the database; numeric columns only. */
    public static <N extends Number> Expression<N> plus(N amount) {
        return new Plus<>(Objects.requireNonNull(amount, "amount"));
    }

    /** {@code column - amount}, computed by the database; numeric columns only. */
    public static <N extends Number> Expression<N> minus(N amount) {
        return new Minus<>(Objects.requireNonNull(amount, "amount"));
    }

    /** {@code COALESCE(column, fallback)}: keeps a non-NULL value, fills a NULL one. */
    public static <V> Expression<V> coalesce(V fallback) {
        return new Coalesce<>(fallback);
    }

    /**
     * A raw SQL expression with bound values, e.g. {@code sql("greatest(high_score, ?)", score)}. Column names in it
     * are written as the database expects them; values always go through {@code ?}. Its type is not checked.
     */
    public static <V> Expression<V> sql(String expression, Object... args) {
        return new Sql<>(Objects.requireNonNull(expression, "expression"), args == null ? new Object[0] : args.clone());
    }
}
