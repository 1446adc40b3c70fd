package dev.holdfast.testkit.detect;

import dev.holdfast.Isolation;
import dev.holdfast.StatementListener;
import dev.holdfast.testkit.Actor;
import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.detect.internal.Analyzer;
import dev.holdfast.testkit.detect.internal.Confirmer;
import dev.holdfast.testkit.detect.internal.Recorder;
import dev.holdfast.testkit.detect.internal.RecordingDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Finds races in the SQL a test suite sends: lost updates, check-then-insert without a unique constraint, write skew
 * and stale snapshots. It records every transaction — on connections from a {@link #wrap wrapped DataSource} (raw
 * JDBC, Hibernate, jOOQ, MyBatis, Spring) or through a Holdfast {@link #listener() listener} — then
 * {@link #analyse analyses} the statements, and can hand a finding's code path to the interleaving explorer to
 * {@link #confirm prove} it with a failing schedule.
 *
 * <pre>{@code
 * RaceDetector detector = RaceDetector.create();
 * DataSource recorded = detector.wrap(dataSource);
 * runTheCode(recorded);                              // a test, a request handler, an ORM session
 * Report report = detector.analyse(dataSource);     // reads unique keys from the catalogue
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>Thread-safe: record from any number of threads.
 */
public final class RaceDetector {
    private final Recorder recorder = new Recorder();

    private RaceDetector() {
    }

    /** A new detector with nothing recorded. */
    public static RaceDetector create() {
        return new RaceDetector();
    }

    /**
     * A data source whose connections record every transaction: statements with their bound values (each row of a
     * batch separately), autocommit, commit, rollback and the isolation level (set by
     * {@code setTransactionIsolation} or {@code SET TRANSACTION}, else the server's default, read once per
     * connection). Everything else goes to {@code target} unchanged.
     */
    public DataSource wrap(DataSource target) {
        return new RecordingDataSource(Objects.requireNonNull(target, "target"), recorder);
    }

    /**
     * A listener for Holdfast's {@code Database.builder(...).listener(...)}: records every transaction the database
     * runs, one session per thread. The listener cannot see the isolation level, so the transactions are recorded at
     * Holdfast's default (READ COMMITTED; SERIALIZABLE on SQLite); use {@link #listener(Isolation)} for a database
     * built with another level, or {@link #wrap} its data source (which sees per-transaction levels).
     *
     * <pre>{@code
     * Database db = Database.builder(url).listener(detector.listener()).build();
     * }</pre>
     */
    public StatementListener listener() {
        return recorder.listener(null);
    }

    /** A {@link #listener()} for a database whose transactions run at {@code isolation}. */
    public StatementListener listener(Isolation isolation) {
        return recorder.listener(Objects.requireNonNull(isolation, "isolation").sql());
    }

    /** What was recorded so far: finished transactions in the order they ended, then open ones. */
    public List<RecordedTransaction> transactions() {
        return recorder.snapshot();
    }

    /** Forgets everything recorded. */
    public void clear() {
        recorder.clear();
    }

    /**
     * Analyses what was recorded. {@code catalogue} is only read for its unique keys and primary keys and the kind of
     * database ({@link Catalogue#of(DataSource)}): pass the unwrapped data source.
     */
    public Report analyse(DataSource catalogue) {
        return analyse(transactions(), Catalogue.of(catalogue));
    }

    /** Analyses recorded transactions (e.g. from a {@link TraceFile}) against a catalogue. */
    public static Report analyse(List<RecordedTransaction> recorded, Catalogue catalogue) {
        return Analyzer.analyse(List.copyOf(recorded), Objects.requireNonNull(catalogue, "catalogue"));
    }

    /**
     * Confirms a finding with the interleaving explorer: two copies of {@code codePath} run under controlled
     * schedules on the database of {@code explorer} (from {@code Interleaver.on(...)}, with its setup and any
     * invariants already added), until the first failing run or {@code budget}. When the finding names one table, its
     * rows ({@code select * from t order by 1}) are judged by the serializability oracle; otherwise only the
     * builder's invariants judge.
     *
     * <pre>{@code
     * Confirmation c = detector.confirm(finding,
     *         Interleaver.on(testDatabase).setup(db -> db.execute("create table ...")),
     *         ds -> transferOnce(ds), Duration.ofSeconds(60));
     * }</pre>
     */
    public Confirmation confirm(Finding finding, Interleaver.Builder explorer, JdbcActor codePath, Duration budget) {
        return Confirmer.confirm(finding, explorer, codePath, null, Confirmer.defaultQuery(finding), budget);
    }

    /** As {@link #confirm(Finding, Interleaver.Builder, JdbcActor, Duration)}, with your own final-state query. */
    public Confirmation confirm(Finding finding, Interleaver.Builder explorer, JdbcActor codePath,
                                String finalStateQuery, Duration budget) {
        return Confirmer.confirm(finding, explorer, codePath, null, finalStateQuery, budget);
    }

    /**
     * Confirms a finding with an explorer that already has its actors and invariants (for example two different
     * code paths that share the rows, or a scenario's actors and its check): explores until the first failing run or
     * {@code budget}.
     *
     * <pre>{@code
     * Confirmation c = detector.confirm(finding, Interleaver.on(testDatabase).setup(...)
     *         .actor("rename", db -> ...).actor("compute", db -> ...).invariant("nothing lost", db -> ...),
     *         Duration.ofSeconds(60));
     * }</pre>
     */
    public Confirmation confirm(Finding finding, Interleaver.Builder explorerWithActors, Duration budget) {
        return Confirmer.confirm(finding, explorerWithActors, null, null, null, budget);
    }

    /**
     * As {@link #confirm(Finding, Interleaver.Builder, JdbcActor, Duration)} for a code path written against a
     * Holdfast {@code Database}; {@code finalStateQuery} may be null when the builder's invariants judge.
     */
    public Confirmation confirm(Finding finding, Interleaver.Builder explorer, Actor codePath, String finalStateQuery,
                                Duration budget) {
        return Confirmer.confirm(finding, explorer, null, codePath, finalStateQuery, budget);
    }
}
