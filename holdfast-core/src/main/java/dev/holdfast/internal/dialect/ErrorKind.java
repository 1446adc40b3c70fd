package dev.holdfast.internal.dialect;

import dev.holdfast.error.BusyException;
import dev.holdfast.error.CheckViolationException;
import dev.holdfast.error.DataException;
import dev.holdfast.error.DiskFullException;
import dev.holdfast.error.InvalidDateTimeException;
import dev.holdfast.error.NumericOverflowException;
import dev.holdfast.error.ValueTooLongException;
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
    VALUE_TOO_LONG("gave a value too long for its column"),
    NUMERIC_OVERFLOW("gave or computed a number out of range"),
    BAD_DATETIME("gave an invalid date or time"),
    DATA("gave a value its column cannot hold"),
    DISK_FULL("could not write: the database's storage is full"),
    CONNECTION("lost its connection to the database"),
    OTHER("failed");

    final String phrase;

    ErrorKind(String phrase) {
        this.phrase = phrase;
    }

    /** The kind for a SQLState of class 22 (data exception), which PostgreSQL and MariaDB share; null otherwise. */
    static ErrorKind ofDataState(String state) {
        if (state == null || !state.startsWith("22")) {
            return null;
        }
        return switch (state) {
            case "22001" -> VALUE_TOO_LONG;
            case "22003" -> NUMERIC_OVERFLOW;
            case "22007", "22008" -> BAD_DATETIME;
            default -> DATA;
        };
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
            case VALUE_TOO_LONG -> new ValueTooLongException(message, cause);
            case NUMERIC_OVERFLOW -> new NumericOverflowException(message, cause);
            case BAD_DATETIME -> new InvalidDateTimeException(message, cause);
            case DATA -> new DataException(message, cause);
            case DISK_FULL -> new DiskFullException(message, cause);
            case CONNECTION, OTHER -> new HoldfastException(message, cause);
        };
    }
}
