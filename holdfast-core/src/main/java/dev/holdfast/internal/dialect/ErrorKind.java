package dev.holdfast.internal.dialect;

import dev.holdfast.error.BusyException;
import dev.holdfast.error.CheckViolationException;
import dev.holdfast.error.DeadlockException;
import dev.holdfast.error.ForeignKeyViolationException;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.LockTimeoutException;
import dev.holdfast.error.NotNullViolationException;
import dev.holdfast.error.QueryTimeoutException;
import dev.holdfast.error.SerializationFailureException;
import dev.holdfast.error.UniqueViolationException;
import java.sql.SQLException;

/** The kinds of database failure Holdfast tells apart; each dialect maps its codes onto these. */
enum ErrorKind {
    SERIALIZATION("could not be serialised with a concurrent transaction"),
    DEADLOCK("was chosen as a deadlock victim"),
    LOCK_TIMEOUT("could not get a lock in time"),
    BUSY("found the database locked by another connection"),
    UNIQUE("broke a unique constraint"),
    FOREIGN_KEY("broke a foreign key constraint"),
    NOT_NULL("gave no value to a NOT NULL column"),
    CHECK("broke a CHECK constraint"),
    QUERY_TIMEOUT("ran past its time limit and was cancelled"),
    CONNECTION("lost its connection to the database"),
    OTHER("failed");

    final String phrase;

    ErrorKind(String phrase) {
        this.phrase = phrase;
    }

    HoldfastException exception(String message, SQLException cause) {
        return switch (this) {
            case SERIALIZATION -> new SerializationFailureException(message, cause);
            case DEADLOCK -> new DeadlockException(message, cause);
            case LOCK_TIMEOUT -> new LockTimeoutException(message, cause);
            case BUSY -> new BusyException(message, cause);
            case UNIQUE -> new UniqueViolationException(message, cause);
            case FOREIGN_KEY -> new ForeignKeyViolationException(message, cause);
            case NOT_NULL -> new NotNullViolationException(message, cause);
            case CHECK -> new CheckViolationException(message, cause);
            case QUERY_TIMEOUT -> new QueryTimeoutException(message, cause);
            case CONNECTION, OTHER -> new HoldfastException(message, cause);
        };
    }
}
