package dev.holdfast.testdb;

import java.util.function.Supplier;

/**
 * A value computed on first use, once per JVM. A failure is remembered too, so a server that cannot be reached is
 * tried once and every later test fails fast with the same message instead of waiting for its own timeout.
 */
final class Once<T> {
    private final Supplier<T> supplier;
    private T value;
    private RuntimeException failure;

    Once(Supplier<T> supplier) {
        this.supplier = supplier;
    }

    synchronized T get() {
        if (value == null && failure == null) {
            try {
                value = supplier.get();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return value;
    }
}
