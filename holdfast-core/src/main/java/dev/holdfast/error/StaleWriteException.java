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
 *     Thing now = (Thing) e.current();   // someone else's newer row; decide what wins
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

    /** The snapshot that could not be written. */
    public Object attempted() {
        return attempted;
    }

    /** The row as it is now in the database, or {@code null} when it was deleted. */
    public Object current() {
        return current;
    }
}
