package dev.holdfast.testkit.audit;

import dev.holdfast.error.ConnectionFailedException;
import dev.holdfast.Isolation;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs Martin Kleppmann's Hermitage suite (https://github.com/ept/hermitage, CC BY 4.0) against a database at every
 * isolation level it offers, and reports which anomalies each level lets happen — measured, not taken from the
 * documentation.
 *
 * <p>Each test is a script of two or three transactions on {@code test(id int primary key, value int)} holding
 * {@code (1, 10), (2, 20)}, run through the interleaver's script replay
 * ({@link dev.holdfast.testkit.Interleaver#runScript}): the statements are sent one at a time in Hermitage's order, a
 * statement the database makes wait is seen waiting (PostgreSQL {@code pg_blocking_pids}, InnoDB
 * {@code SHOW ENGINE INNODB STATUS}; SQLite sessions have a busy timeout of 0, so a would-be wait is an immediate
 * {@code SQLITE_BUSY}), and a judge decides from the reads, row counts, errors and final rows whether the anomaly
 * happened.
 *
 * <pre>{@code
 * AuditResult r = IsolationAudit.run("jdbc:postgresql://localhost/scratch", "me", secret, List.of(),
 *         (done, total, cell) -> System.err.print("\r" + done + "/" + total));
 * for (AuditCell c : r.anomaliesFound()) System.out.println(c.level() + " " + c.test() + ": " + c.detail());
 * }</pre>
 *
 * <p>The audit creates, fills and drops the table {@code test} (or {@link #table(String)}) and refuses to start when
 * a table of that name exists.
 */
public final class IsolationAudit {
    private final String url;
    private String user;
    private String password;
    private List<Isolation> levels = List.of();
    private String table = "test";
    private AuditProgress progress = AuditProgress.NONE;

    private IsolationAudit(String url) {
        this.url = url;
    }

    /**
     * An audit of the database at this JDBC URL ({@code jdbc:sqlite:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:}
     * or {@code jdbc:mysql:}); {@code null} audits SQLite in two new temporary files, one in SQLite's default
     * rollback-journal mode and one in WAL mode.
     */
    public static IsolationAudit of(String url) {
        return new IsolationAudit(url);
    }

    /**
     * Runs the whole suite at the given levels (empty: every level the database offers).
     *
     * @see #run()
     */
    public static AuditResult run(String url, String user, String password, List<Isolation> levels,
                                  AuditProgress progress) {
        return of(url).user(user).password(password).levels(levels).progress(progress).run();
    }

    /** The user to connect as, when not in the URL. */
    public IsolationAudit user(String user) {
        this.user = user;
        return this;
    }

    /** The password, when not in the URL. */
    public IsolationAudit password(String password) {
        this.password = password;
        return this;
    }

    /** The levels to measure; empty (the default) for every level the database offers. */
    public IsolationAudit levels(List<Isolation> levels) {
        this.levels = List.copyOf(levels);
        return this;
    }

    /** The table the audit creates and drops, {@code test} unless named here. */
    public IsolationAudit table(String table) {
        this.table = Objects.requireNonNull(table, "table");
        return this;
    }

    /** Told about each cell as it is measured. */
    public IsolationAudit progress(AuditProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Runs every Hermitage test at every level asked for.
     *
     * @throws ConnectionFailedException naming the URL and the problem when the database cannot be reached, or fails
     *                                   in a way that is not part of a test (the connection dropped)
     * @throws IllegalArgumentException  when the URL is not one the audit supports, a level is asked for that the
     *                                   database does not offer, or the table exists already
     */
    public AuditResult run() {
        long start = System.nanoTime();
        try (AuditTarget target = AuditTarget.open(url, user, password, table, levels)) {
            String published = target.kind == AuditTarget.Kind.SQLITE ? null
                    : PublishedResults.forProduct(target.product);
            ScriptReplay runner = new ScriptReplay(target);
            List<AuditCell> cells = new ArrayList<>();
            int total = target.levels.size() * HermitageSuite.ALL.size();
            for (AuditLevel level : target.levels) {
                for (ScriptedTest test : HermitageSuite.ALL) {
                    AuditCell cell = measure(runner, test, level, published);
                    cells.add(cell);
                    progress.cellDone(cells.size(), total, cell);
                }
            }
            return new AuditResult(target.product, AuditTarget.redact(url), published,
                    target.levels.stream().map(AuditLevel::label).toList(),
                    HermitageSuite.ALL.stream().map(ScriptedTest::anomaly).toList(), cells,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private AuditCell measure(ScriptReplay runner, ScriptedTest test, AuditLevel level, String published) {
        Observation o;
        try {
            o = runner.run(test, level);
        } catch (SQLException | IllegalStateException e) {
            throw new ConnectionFailedException("The audit of " + AuditTarget.redact(url) + " failed outside a test "
                    + "step, while running " + test.name() + " at " + level.label() + ": " + e.getMessage(), e);
        }
        Judgement j = test.judge().judge(o);
        Prevention how = Prevention.NONE;
        String detail = j.detail();
        if (j.verdict() == Verdict.PREVENTED) {
            ObservedStep error = o.firstError();
            ObservedStep blocked = o.firstBlocked();
            if (error != null) {
                how = Prevention.ABORTED;
                detail = error.session() + " aborted at step " + error.index() + " (" + error.sql() + "): "
                        + error.error();
            } else if (blocked != null) {
                how = Prevention.BLOCKED;
                detail = blocked.session() + " waited at step " + blocked.index() + " (" + blocked.sql() + ")"
                        + (blocked.resumedAfter() > 0 ? " until step " + blocked.resumedAfter() : "")
                        + "; " + detail;
            } else {
                how = Prevention.NOT_VISIBLE;
            }
        }
        return new AuditCell(test.name(), level.label(), j.verdict(), how, detail,
                PublishedResults.verdict(published, test.name(), level.label()), test.sessions(),
                o.steps().stream().map(ObservedStep::toAuditStep).toList());
    }
}
