package dev.holdfast.error;

/**
 * The thread running the transaction was interrupted while a statement was waiting (for a row lock, or for the
 * database): the statement was cancelled, the transaction rolled back, nothing of it is committed, and the thread's
 * interrupt flag is still set. Not retried.
 *
 * <pre>{@code
 * try {
 *     db.useTransaction(tx -> tx.execute("update account set balance = balance - 1 where id = ?", id));
 * } catch (TransactionInterruptedException e) {
 *     return;   // Thread.currentThread().isInterrupted() is still true: shut down as asked
 * }
 * }</pre>
 */
public class TransactionInterruptedException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    public TransactionInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
