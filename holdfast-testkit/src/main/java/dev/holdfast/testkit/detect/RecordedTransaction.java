package dev.holdfast.testkit.detect;

import dev.holdfast.testdb.DatabaseKind;
import java.util.List;
import java.util.Objects;

/**
 * One transaction as the {@link RaceDetector} saw it: which session (connection or thread) ran it, on which database,
 * at which isolation level, its statements in order, and how it ended. A statement run in autocommit mode is a
 * transaction of its own.
 *
 * <pre>{@code
 * for (RecordedTransaction t : detector.transactions()) {
 *     System.out.println(t.session() + " " + t.isolation() + " " + t.statements().size() + " " + t.ending());
 * }
 * }</pre>
 *
 * @param session    who ran it, e.g. {@code connection-3} or {@code thread main}
 * @param database   the database, or {@code null} when the recorder could not tell (the catalogue then decides)
 * @param isolation  the isolation level as SQL names it ({@code "READ COMMITTED"}, {@code "REPEATABLE READ"},
 *                   {@code "SERIALIZABLE"}, {@code "READ UNCOMMITTED"}), or {@code null} for the database's default
 * @param statements the statements in the order they were sent (transaction control excluded)
 * @param ending     how the transaction ended
 */
public record RecordedTransaction(String session, DatabaseKind database, String isolation,
                                  List<RecordedStatement> statements, Ending ending) {

    /** How a recorded transaction ended. */
    public enum Ending {
        /** Committed (or a statement in autocommit mode). */
        COMMIT,
        /** Rolled back. */
        ROLLBACK,
        /** Still open when recorded, or its connection was closed without commit or rollback. */
        OPEN
    }

    public RecordedTransaction {
        Objects.requireNonNull(session, "session");
        statements = List.copyOf(statements);
        Objects.requireNonNull(ending, "ending");
    }
}
