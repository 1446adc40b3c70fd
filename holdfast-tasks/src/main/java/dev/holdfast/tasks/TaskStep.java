package dev.holdfast.tasks;

import dev.holdfast.Transaction;

/**
 * One step of a task: its database writes, and the state to checkpoint when they commit. See
 * {@link TaskContext#transact}. It may run more than once when the database reports a conflict (the whole transaction
 * is retried), so, like any transaction body, it must not have effects outside the database; register those with
 * {@link Transaction#afterCommit}.
 *
 * @param <S> the state record
 * @param <X> a checked exception the step may throw; the transaction is rolled back and it is re-thrown as is
 */
@FunctionalInterface
public interface TaskStep<S extends Record, X extends Exception> {
    /** Does the step's writes in {@code tx} and returns the state to checkpoint with them. */
    S apply(Transaction tx) throws X;
}
