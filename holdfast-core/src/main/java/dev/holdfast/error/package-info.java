/**
 * Every exception Holdfast throws, one hierarchy under {@link dev.holdfast.error.HoldfastException}, each naming what
 * failed and what to do.
 *
 * <ul>
 *   <li>{@link dev.holdfast.error.ConflictException} and its subclasses (serialization failure, deadlock, lock
 *       timeout, SQLite busy): the transaction is retried as a whole; you see one only when the retries ran out.</li>
 *   <li>{@link dev.holdfast.error.ConstraintViolationException} and its subclasses: the data broke a constraint; not
 *       retried.</li>
 *   <li>{@link dev.holdfast.error.CommitOutcomeUnknownException}: the connection was lost during COMMIT (or after an
 *       autocommit write was sent); the write may or may not have happened, so it is not retried.</li>
 *   <li>{@link dev.holdfast.error.DataException} and its subclasses: a value does not fit its column;
 *       {@link dev.holdfast.error.DiskFullException}: the storage is full. Not retried.</li>
 *   <li>{@link dev.holdfast.error.TransactionTimeoutException}, {@link dev.holdfast.error.QueryTimeoutException},
 *       {@link dev.holdfast.error.TransactionInterruptedException}: time ran out, or the thread was interrupted; the
 *       transaction was rolled back. Not retried.</li>
 *   <li>{@link dev.holdfast.error.StaleWriteException}, {@link dev.holdfast.error.NotFoundException},
 *       {@link dev.holdfast.error.MappingException}: the record API's answers.</li>
 * </ul>
 *
 * <pre>{@code
 * try {
 *     db.insert(new User(null, email));
 * } catch (UniqueViolationException taken) {
 *     // nothing was written
 * }
 * }</pre>
 */
package dev.holdfast.error;
