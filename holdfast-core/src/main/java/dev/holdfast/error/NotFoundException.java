package dev.holdfast.error;

/** A row that was asked for by its key does not exist. Use the {@code find}/{@code queryOne} forms to get an {@link java.util.Optional} instead. */
public class NotFoundException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
