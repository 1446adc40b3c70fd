package dev.holdfast;

import dev.holdfast.error.ConflictException;
import dev.holdfast.error.HoldfastException;
import java.time.Duration;

/**
 * What happened to a statement: how long it took, how many rows it returned or changed, or how it failed.
 *
 * @param statement the statement
 * @param elapsed   time from sending it to having its whole result
 * @param rows      rows returned by a query, or changed by an update or batch; -1 when unknown or failed
 * @param error     the failure (already classified, so a {@link ConflictException} shows as one), or {@code null}
 */
public record StatementOutcome(SqlStatement statement, Duration elapsed, long rows, HoldfastException error) {

    public boolean failed() {
        return error != null;
    }
}
