package dev.holdfast.record;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A record component named by its accessor, e.g. {@code Product::stock}: the column it maps to, typed by the value it
 * holds. {@link Update#set(Property, Comparable)} and {@link Condition} take one, so a value of the wrong type does not
 * compile:
 *
 * <pre>{@code
 * set(Product::stock, 5)          // compiles: stock is an int
 * set(Product::stock, "abc")      // does not compile
 * set(Product::name, plus(1))     // does not compile: plus is for numbers
 * }</pre>
 *
 * <p>It must be a method reference to a record accessor, not a lambda. The component's name is read from the method
 * reference once per call site (the reference's class) and cached, so naming a column this way costs no reflection per
 * call.
 *
 * @param <T> the record
 * @param <V> the component's type (boxed for primitives)
 */
@FunctionalInterface
public interface Property<T, V> extends Function<T, V>, Serializable {

    /** The record component's name, e.g. {@code "stock"} for {@code Product::stock}. */
    default String name() {
        return PropertyNames.of(this);
    }
}
