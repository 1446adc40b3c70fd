package dev.holdfast.record;

/**
 * Gives a record a {@code with} method that copies it with one component changed, so a {@code modify} needs no
 * hand-written {@code withX} per component:
 *
 * <pre>{@code
 * @Table("product")
 * record Product(@Id Long id, String name, int stock, @Version long version) implements Copyable<Product> {}
 *
 * db.modify(Product.class, id, p -> p.with(Product::name, "x").with(Product::stock, p.stock() - 1));
 * }</pre>
 *
 * <p>The copy goes through the canonical constructor (so its checks run), and {@code modify} still writes only the
 * columns whose values changed. For a record that cannot implement this interface, use the static
 * {@link #with(Record, Property, Object)}. Typed like {@link Update#set(Property, Comparable)}: a value of the wrong
 * type does not compile.
 *
 * @param <R> the record itself
 */
public interface Copyable<R extends Record & Copyable<R>> {

    /** A copy of this record with {@code component} set to {@code value}. */
    @SuppressWarnings("unchecked")
    default <V extends Comparable<? super V>> R with(Property<R, V> component, V value) {
        return Copier.copy((R) this, component, value);
    }

    /** {@link #with(Property, Comparable)} for a {@code byte[]} component. */
    @SuppressWarnings("unchecked")
    default R with(Property<R, byte[]> component, byte[] value) {
        return Copier.copy((R) this, component, value);
    }

    /**
     * A copy of any record with one component changed: {@code Copyable.with(product, Product::name, "x")}. The value's
     * type is checked when the copy is made.
     */
    static <R extends Record, V> R with(R record, Property<R, V> component, V value) {
        return Copier.copy(record, component, value);
    }
}
