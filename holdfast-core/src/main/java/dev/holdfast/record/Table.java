package dev.holdfast.record;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the table a record is a row of. A record without it can still be read from any query
 * ({@code tx.query(Summary.class, "select ...")}) but not inserted, found by id, or updated.
 *
 * <pre>{@code
 * @Table("thing")
 * record Thing(@Id Long id, int foo, int bar, @Version long version) {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Table {
    /** The table name, used as written (quoted for the database). */
    String value();
}
