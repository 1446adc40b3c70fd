package dev.holdfast.error;

/**
 * An optimistic write was refused because the row moved on since the snapshot was read: its {@link
 * dev.holdfast.record.Version} is no
 * longer the snapshot's, or the row is gone. Nothing was written. Carries the snapshot you tried to write and the row
 * as it is now ({@code null} when it was deleted), so you can merge, ask the user, or start over.
 *
 * <pre>{@code
 * try {
 *     tx.update(edited);
 * } catch (StaleWriteException e) {
 *     Thing now = e.current(Thing.class);   // someone else's newer row (null when deleted); decide what wins
 * }
 * }</pre>
 *
 * <p>It is not a {@link ConflictException}: running the same transaction again with the same stale snapshot would
 * fail the same way. To change a row without caring how it changed meanwhile, use {@link
 * dev.holdfast.Transaction#modify}.
 */
public class StaleWriteException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    private final transient Object attempted;
    private final transient Object current;

    public StaleWriteException(String message, Object attempted, Object current) {
        super(message);
        this.attempted = attempted;
        this.current = current;
    }

    /** The snapshot that could not be written; {@link #attempted(Class)} returns it typed. */
    public Object attempted() {
        return attempted;
    }

    /**
     * The snapshot that could not be written, as its record type: {@code Thing mine = e.attempted(Thing.class);}.
     * (A generic {@code <T> T attempted()} would make {@code assertThat(e.attempted())} and other overloaded calls
     * ambiguous, so the type is named.)
     *
     * @throws ClassCastException naming both types when the snapshot is not a {@code type}
     */
    public <T> T attempted(Class<T> type) {
        return as(type, attempted, "attempted");
    }

    /** The row as it is now in the database, or {@code null} when it was deleted; {@link #current(Class)} types it. */
    public Object current() {
        return current;
    }

    /**
     * The row as it is now in the database, or {@code null} when it was deleted, as its record type:
     * {@code Thing now = e.current(Thing.class);}.
     *
     * @throws ClassCastException naming both types when the row is not a {@code type}
     */
    public <T> T current(Class<T> type) {
        return as(type, current, "current");
    }

    private <T> T as(Class<T> type, Object value, String what) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new ClassCastException("This StaleWriteException's " + what + "() is a " + value.getClass().getName()
                + ", not a " + type.getName() + ": " + getMessage());
    }
}
