package dev.holdfast.record;

import java.util.List;
import java.util.Objects;

/**
 * A typed condition on the row a guarded update writes: the update happens only where it holds, in the same
 * statement, so no other transaction can slip in between the check and the write.
 *
 * <pre>{@code
 * import static dev.holdfast.record.Condition.atLeast;
 * import static dev.holdfast.record.Update.*;
 *
 * // UPDATE gift_card SET balance = balance - ?, version = version + 1 WHERE id = ? AND balance >= ?
 * boolean debited = db.applyIf(GiftCard.class, cardId, atLeast(GiftCard::balance, amount),
 *         set(GiftCard::balance, minus(amount)));
 * }</pre>
 *
 * <p>Typed like {@link Update#set(Property, Comparable)}: {@code atLeast(GiftCard::balance, "ten")} does not compile.
 *
 * @param <T> the record whose row is tested
 */
public sealed interface Condition<T> {

    /** A comparison operator of a {@link Compare}. */
    enum Operator {
        EQUAL("="), NOT_EQUAL("<>"), LESS("<"), AT_MOST("<="), GREATER(">"), AT_LEAST(">="), IS_NULL("IS NULL"),
        IS_NOT_NULL("IS NOT NULL");

        private final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        /** The operator as SQL. */
        public String sql() {
            return sql;
        }
    }

    /** {@code column <operator> ?} (no value for IS NULL and IS NOT NULL); made by the factories below. */
    record Compare<T>(String column, Operator operator, Object value) implements Condition<T> {
        public Compare {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(operator, "operator");
        }
    }

    /** Every one of the conditions; made by {@link #and(Condition)}. */
    record All<T>(List<Condition<? super T>> conditions) implements Condition<T> {
        public All {
            conditions = List.copyOf(conditions);
        }
    }

    /** This condition and {@code other}, both on the same row. */
    default Condition<T> and(Condition<? super T> other) {
        return new All<>(List.of(this, Objects.requireNonNull(other, "other")));
    }

    /** {@code column >= value}. */
    static <T, V extends Comparable<? super V>> Condition<T> atLeast(Property<T, V> component, V value) {
        return compare(component, Operator.AT_LEAST, value);
    }

    /** {@code column <= value}. */
    static <T, V extends Comparable<? super V>> Condition<T> atMost(Property<T, V> component, V value) {
        return compare(component, Operator.AT_MOST, value);
    }

    /** {@code column > value}. */
    static <T, V extends Comparable<? super V>> Condition<T> greaterThan(Property<T, V> component, V value) {
        return compare(component, Operator.GREATER, value);
    }

    /** {@code column < value}. */
    static <T, V extends Comparable<? super V>> Condition<T> lessThan(Property<T, V> component, V value) {
        return compare(component, Operator.LESS, value);
    }

    /** {@code column = value}; for NULL use {@link #isNull(Property)}. */
    static <T, V extends Comparable<? super V>> Condition<T> equalTo(Property<T, V> component, V value) {
        return compare(component, Operator.EQUAL, value);
    }

    /** {@code column <> value}; for NULL use {@link #isNotNull(Property)}. */
    static <T, V extends Comparable<? super V>> Condition<T> notEqualTo(Property<T, V> component, V value) {
        return compare(component, Operator.NOT_EQUAL, value);
    }

    /** {@code column IS NULL}. */
    static <T> Condition<T> isNull(Property<T, ?> component) {
        return new Compare<>(component.name(), Operator.IS_NULL, null);
    }

    /** {@code column IS NOT NULL}. */
    static <T> Condition<T> isNotNull(Property<T, ?> component) {
        return new Compare<>(component.name(), Operator.IS_NOT_NULL, null);
    }

    private static <T> Condition<T> compare(Property<T, ?> component, Operator operator, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(operator + " with null never holds in SQL; use Condition.isNull("
                    + component.name() + ") or isNotNull(...)");
        }
        return new Compare<>(component.name(), operator, value);
    }
}
