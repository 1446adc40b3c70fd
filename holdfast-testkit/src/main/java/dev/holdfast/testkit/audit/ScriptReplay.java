package dev.holdfast.testkit.audit;

import dev.holdfast.testkit.Interleaver;
import dev.holdfast.testkit.JdbcActor;
import dev.holdfast.testkit.Run;
import dev.holdfast.testkit.Schedule;
import dev.holdfast.testkit.ScriptMode;
import dev.holdfast.testkit.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one test's script at one level through the interleaver's script replay ({@link Interleaver#runScript}): each
 * transaction is a JDBC actor with its own connection at the level, the script's order of steps is the schedule, and
 * the interleaver's detector sees a step wait for a lock (PostgreSQL {@code pg_blocking_pids}, InnoDB
 * {@code SHOW ENGINE INNODB STATUS}; SQLite's busy timeout is 0). A step that fails ends its transaction: the actor
 * gives up, its connection is rolled back, and its later steps are not sent. The trace says in which order the steps
 * went through, which waited and after which step they went on; what each statement returned is kept typed by the
 * actor itself (rows as id to value, row counts, the error) for the judges.
 */
final class ScriptReplay {
    private final AuditTarget target;

    ScriptReplay(AuditTarget target) {
        this.target = target;
    }

    /**
     * @throws IllegalStateException when the run could not be made (connection, setup) or did not end normally
     */
    Observation run(ScriptedTest test, AuditLevel level) throws SQLException {
        Map<String, List<Answer>> answers = new HashMap<>();
        // Hermitage's scripts are written for a person at two terminals, who types a blocked session's next command
        // once it is released: they run ahead. In strict order, G-single-write-2 on MariaDB (T1's commit is listed
        // while T1's delete waits for T2's row lock, and T2's commit only after it) waits for the last-resort timeout
        // at every level and its verdict changes; so the audit says RUN_AHEAD, whatever the builder's default.
        Interleaver.Builder builder = target.interleaver(level).scriptMode(ScriptMode.RUN_AHEAD);
        for (String session : test.sessions()) {
            List<Answer> mine = new CopyOnWriteArrayList<>();
            answers.put(session, mine);
            List<ScriptStep> steps = test.steps().stream().filter(s -> s.session().equals(session)).toList();
            builder.jdbcActor(session, transaction(steps, level, mine));
        }
        Run run = builder.build().runScript(new Schedule(test.steps().stream().map(ScriptStep::session).toList()));
        if (run.failed()) {
            throw new IllegalStateException(run.failure() + "\n" + run.trace().swimlane());
        }
        return new Observation(observed(test, run, answers), target.rows(level));
    }

    /** One transaction of the script: its steps in order, until one fails. */
    private JdbcActor transaction(List<ScriptStep> steps, AuditLevel level, List<Answer> answers) {
        return dataSource -> {
            try (Connection c = dataSource.getConnection()) {
                if (level.isolation() != null) {
                    c.setTransactionIsolation(level.isolation().jdbcLevel());
                }
                c.setAutoCommit(false);
                for (ScriptStep step : steps) {
                    Answer a = new Answer();
                    answers.add(a);
                    try {
                        if (step.isCommit()) {
                            c.commit();
                        } else if (step.isRollback()) {
                            c.rollback();
                        } else {
                            try (Statement st = c.createStatement()) {
                                if (st.execute(target.sql(step.sql()))) {
                                    a.rows = read(st.getResultSet());
                                } else {
                                    a.updated = st.getUpdateCount();
                                }
                            }
                        }
                    } catch (SQLException e) {
                        a.error = describe(e);
                        return;   // closing the connection rolls the transaction back
                    }
                }
            }
        };
    }

    /** The script's steps in script order, each matched with its step in the trace (the n-th of its session). */
    private static List<ObservedStep> observed(ScriptedTest test, Run run, Map<String, List<Answer>> answers) {
        Map<Integer, Integer> scriptIndexOf = new HashMap<>();    // trace index to script index
        Map<String, Integer> sent = new HashMap<>();
        List<Step> matched = new ArrayList<>();
        for (int i = 0; i < test.steps().size(); i++) {
            String session = test.steps().get(i).session();
            int n = sent.merge(session, 1, Integer::sum) - 1;
            List<Step> ofSession = run.trace().stepsOf(session);
            Step t = n < ofSession.size() ? ofSession.get(n) : null;
            matched.add(t);
            if (t != null) {
                scriptIndexOf.put(t.index(), i + 1);
            }
        }
        List<ObservedStep> out = new ArrayList<>();
        sent.clear();
        for (int i = 0; i < test.steps().size(); i++) {
            ScriptStep step = test.steps().get(i);
            int n = sent.merge(step.session(), 1, Integer::sum) - 1;
            Step t = matched.get(i);
            if (t == null) {
                out.add(new ObservedStep(i + 1, step.session(), step.sql(), AuditStep.Status.SKIPPED, null, -1, null,
                        false, 0));
                continue;
            }
            Answer a = answers.get(step.session()).get(n);
            boolean blocked = t.blocked();
            AuditStep.Status status = !t.failed() ? AuditStep.Status.OK
                    : blocked && t.resumedAfter() == 0 ? AuditStep.Status.CANCELLED
                    : AuditStep.Status.ERROR;
            boolean ok = status == AuditStep.Status.OK;
            out.add(new ObservedStep(i + 1, step.session(), step.sql(), status, ok ? a.rows : null,
                    ok ? a.updated : -1, a.error, blocked,
                    blocked ? scriptIndexOf.getOrDefault(t.resumedAfter(), 0) : 0));
        }
        return out;
    }

    private static Map<Integer, Integer> read(ResultSet rs) throws SQLException {
        Map<Integer, Integer> rows = new TreeMap<>();
        try (rs) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getObject(2, Integer.class));
            }
        }
        return rows;
    }

    /** The SQLState and the first line of the message, without driver decorations such as MariaDB's (conn=12). */
    private static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        message = message.replaceFirst("^\\(conn=\\d+\\)\\s*", "").replaceFirst("^ERROR:\\s*", "");
        return (e.getSQLState() == null ? "" : e.getSQLState() + " ") + message;
    }

    /** What one statement returned, as the actor saw it. */
    private static final class Answer {
        volatile Map<Integer, Integer> rows;
        volatile int updated = -1;
        volatile String error;
    }
}
