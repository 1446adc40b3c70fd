package dev.holdfast.record;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the column a record component maps to, when it is not the component's name in snake_case
 * ({@code itemCount} maps to {@code item_count} without it).
 *
 * <pre>{@code
 * @Table("person")
 * record Person(@Id Long id, @Column("full_name") String name) {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Column {
    /** The column name, used as written (quoted for the database). */
    String value();
}
