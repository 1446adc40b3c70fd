package dev.holdfast.testkit.detect;

import dev.holdfast.testdb.DatabaseKind;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One race the {@link RaceDetector} found in the recorded SQL: what kind, how sure it is, why, and the transaction(s)
 * that show it.
 *
 * <pre>{@code
 * for (Finding f : report.findings()) {
 *     System.out.println(f.kind() + " " + f.status() + ": " + f.reason());
 *     f.statements().forEach(s -> System.out.println("  " + s));
 * }
 * }</pre>
 *
 * @param kind        what kind of race
 * @param status      suspected from the SQL, or proved / not reproduced by the interleaving explorer
 * @param reason      why, naming the statements, the database and the isolation level that make it a bug
 * @param transaction the transaction that shows it (for a read and write in separate transactions: the write's)
 * @param statements  the statements that make up the race, in order (they may span transactions of one session)
 * @param database    the database the finding applies to
 * @param isolation   the isolation level the transaction ran at
 * @param tables      the tables involved, lower case
 * @param occurrences how many recorded transactions showed the same race (same statements, other values)
 * @param schedule    the failing schedule when {@link Status#PROVED}, else {@code null}
 */
public record Finding(Kind kind, Status status, String reason, RecordedTransaction transaction,
                      List<RecordedStatement> statements, DatabaseKind database, String isolation, Set<String> tables,
                      int occurrences, String schedule) {

    /** What kind of race. */
    public enum Kind {
        /** A row read without a lock and written back with an absolute value, without a version check. */
        LOST_UPDATE,
        /** A check that a row does not exist, then an insert, with no unique constraint on the checked columns. */
        CHECK_THEN_INSERT,
        /** A predicate or aggregate read, then a write to other rows, under snapshot isolation. */
        WRITE_SKEW,
        /** A REPEATABLE READ transaction that takes a lock first and reads afterwards, from an older snapshot. */
        STALE_SNAPSHOT
    }

    /** How sure the finding is. */
    public enum Status {
        /** Suspected from the SQL alone. */
        SUSPECTED,
        /** The interleaving explorer found a schedule of two copies of the code path that breaks it. */
        PROVED,
        /** The explorer ran two copies of the code path and found no failing schedule within its budget. */
        NOT_REPRODUCED
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        statements = List.copyOf(statements);
        tables = Set.copyOf(tables);
    }

    /** This finding with the outcome of a {@link Confirmation}. */
    public Finding confirmedBy(Confirmation confirmation) {
        return new Finding(kind, confirmation.status(), reason, transaction, statements, database, isolation, tables,
                occurrences, confirmation.schedule());
    }

    /** The finding as a few lines of text: kind, status, reason, statements, and the schedule when proved. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(kind).append(" (").append(status).append(") on ").append(database).append(" at ")
                .append(isolation).append(", tables ").append(tables);
        if (occurrences > 1) {
            b.append(", seen ").append(occurrences).append(" times");
        }
        b.append('\n').append("  ").append(reason).append('\n');
        for (RecordedStatement s : statements) {
            b.append("    ").append(s).append('\n');
        }
        if (schedule != null) {
            b.append("  failing schedule: ").append(schedule).append('\n');
        }
        return b.toString();
    }
}
