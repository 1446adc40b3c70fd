package dev.holdfast.record;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the record component ({@code int}, {@code long}, {@code Integer} or {@code Long}) that counts the row's
 * writes. Every write Holdfast makes to the row adds one to it — {@code modify}, {@code update}, atomic updates and
 * {@code upsert} — so a snapshot's version tells whether the row moved on since it was read.
 * {@link dev.holdfast.Transaction#update(Object)} needs it: it writes only if the row is still at the snapshot's
 * version, and
 * throws {@link dev.holdfast.error.StaleWriteException} otherwise.
 *
 * <pre>{@code
 * @Table("thing")
 * record Thing(@Id Long id, int foo, @Version long version) {}
 * }</pre>
 *
 * <p>Raw SQL that changes such a row should bump the column too ({@code set version = version + 1}); otherwise an
 * optimistic write cannot see that change.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Version {
}
