package dev.holdfast;

/**
 * The body of a transaction that returns nothing; see {@link TransactionCallback}.
 *
 * @param <X> a checked exception the body may throw; it is rolled back and re-thrown as is
 */
@FunctionalInterface
public interface TransactionConsumer<X extends Exception> {
    void accept(Transaction tx) throws X;
}
