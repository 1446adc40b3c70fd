package dev.holdfast;

/**
 * The body of a transaction that returns a value. It may run more than once (see {@link Retry}), so it must not have
 * side effects outside the database: register them with {@link Transaction#afterCommit(Runnable)}.
 *
 * @param <R> the result
 * @param <X> a checked exception the body may throw; it is rolled back and re-thrown as is
 */
@FunctionalInterface
public interface TransactionCallback<R, X extends Exception> {
    R apply(Transaction tx) throws X;
}
