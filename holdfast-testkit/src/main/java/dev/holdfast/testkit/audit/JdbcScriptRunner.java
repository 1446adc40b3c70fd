package dev.holdfast.testkit.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a script the way Hermitage is run by hand: one connection (and one thread) per transaction, the steps sent one
 * at a time in the script's order. A step that the database reports waiting for a lock is left waiting and the script
 * goes on; after every later step each waiting step is checked again (finished, or still reported waiting), so the
 * trace records after which step it went on. A step that fails rolls its transaction back, and the transaction's later
 * steps are not sent — what an application does with a failed transaction.
 *
 * <p>Only a step that neither finishes nor shows as waiting within {@link #LAST_RESORT_NANOS} is given up on, a
 * safety net for a database that hides a wait; no result depends on a timing.
 */
final class JdbcScriptRunner implements ScriptRunner {
    static final long LAST_RESORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AuditTarget target;

    JdbcScriptRunner(AuditTarget target) {
        this.target = target;
    }

    @Override
    public Observation run(ScriptedTest test, AuditLevel level) throws SQLException {
        target.reset(level);
        Map<String, Transaction> txs = new LinkedHashMap<>();
        try {
            for (String name : test.sessions()) {
                txs.put(name, new Transaction(target.openSession(level, name)));
            }
            List<Sent> sent = new ArrayList<>();
            List<Sent> waiting = new ArrayList<>();
            AtomicLong lastChange = new AtomicLong(System.nanoTime());
            for (ScriptStep step : test.steps()) {
                Transaction tx = txs.get(step.session());
                Sent s = new Sent(sent.size() + 1, step, tx);
                sent.add(s);
                lastChange.set(System.nanoTime());
                s.future = tx.thread.submit(() -> s.execute(target.sql(step.sql()), lastChange));
                if (!settled(s, lastChange)) {
                    s.blocked = true;
                }
                for (Sent w : List.copyOf(waiting)) {
                    if (settled(w, lastChange)) {
                        w.resumedAfter = s.index;
                        waiting.remove(w);
                    }
                }
                if (s.blocked) {
                    waiting.add(s);
                }
            }
            for (Sent w : waiting) {
                w.cancelled = true;
                target.probe().cancel(w.tx.session.backendId());
            }
            for (Sent s : sent) {
                await(s);
            }
            List<ObservedStep> observed = sent.stream().map(Sent::observed).toList();
            closeAll(txs);
            return new Observation(observed, target.rows(level));
        } finally {
            closeAll(txs);
        }
    }

    /**
     * Waits until the step has finished (true) or the database reports its session waiting for a lock (false). A
     * "waiting" answer counts only once it cannot predate the last change (see {@link LockWaitProbe#stalenessNanos}).
     */
    private boolean settled(Sent s, AtomicLong lastChange) throws SQLException {
        long start = System.nanoTime();
        LockWaitProbe probe = target.probe();
        while (true) {
            if (s.future.isDone()) {
                return true;
            }
            if (probe.isWaiting(s.tx.session.backendId())
                    && System.nanoTime() - lastChange.get() >= probe.stalenessNanos()) {
                return false;
            }
            if (System.nanoTime() - start > LAST_RESORT_NANOS) {
                return false;
            }
            try {
                s.future.get(2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // not finished yet, or finished with an error recorded by the step itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The audit was interrupted", e);
            }
        }
    }

    private static void await(Sent s) {
        try {
            s.future.get(LAST_RESORT_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            s.cancelled = true;
            s.tx.failed = true;
        } catch (ExecutionException e) {
            // recorded by the step
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The audit was interrupted", e);
        }
    }

    private static void closeAll(Map<String, Transaction> txs) {
        for (Transaction tx : txs.values()) {
            tx.close();
        }
    }

    /** A session of the script: its connection, and the thread that sends its steps in order. */
    private static final class Transaction {
        final AuditTarget.Session session;
        final ExecutorService thread;
        volatile boolean failed;
        private boolean closed;

        Transaction(AuditTarget.Session session) {
            this.session = session;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "holdfast-audit-" + session.name());
                t.setDaemon(true);
                return t;
            });
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            Future<?> done = thread.submit(() -> {
                try {
                    session.connection().rollback();
                } catch (SQLException ignored) {
                    // closing ends the transaction anyway
                }
                try {
                    session.connection().close();
                } catch (SQLException ignored) {
                    // nothing more to do with a connection that will not close
                }
            });
            try {
                done.get(LAST_RESORT_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the connection is abandoned; the daemon thread does not keep the JVM alive
            }
            thread.shutdownNow();
        }
    }

    /** One step sent to its transaction, and what became of it. */
    private static final class Sent {
        final int index;
        final ScriptStep step;
        final Transaction tx;
        Future<?> future;
        boolean blocked;
        int resumedAfter;
        volatile boolean cancelled;
        private volatile AuditStep.Status status;
        private volatile Map<Integer, Integer> rows;
        private volatile int updated = -1;
        private volatile String error;

        Sent(int index, ScriptStep step, Transaction tx) {
            this.index = index;
            this.step = step;
            this.tx = tx;
        }

        void execute(String sql, AtomicLong lastChange) {
            try {
                if (tx.failed) {
                    status = AuditStep.Status.SKIPPED;
                    return;
                }
                try {
                    if (step.isCommit()) {
                        tx.session.connection().commit();
                    } else if (step.isRollback()) {
                        tx.session.connection().rollback();
                    } else {
                        try (Statement st = tx.session.connection().createStatement()) {
                            if (st.execute(sql)) {
                                rows = read(st.getResultSet());
                            } else {
                                updated = st.getUpdateCount();
                            }
                        }
                    }
                    status = AuditStep.Status.OK;
                } catch (SQLException e) {
                    error = describe(e);
                    status = cancelled ? AuditStep.Status.CANCELLED : AuditStep.Status.ERROR;
                    tx.failed = true;
                    try {
                        tx.session.connection().rollback();
                    } catch (SQLException ignored) {
                        // the transaction is over either way
                    }
                }
            } finally {
                lastChange.set(System.nanoTime());
            }
        }

        ObservedStep observed() {
            AuditStep.Status s = status != null ? status : AuditStep.Status.CANCELLED;
            if (cancelled && s == AuditStep.Status.ERROR) {
                s = AuditStep.Status.CANCELLED;
            }
            return new ObservedStep(index, step.session(), step.sql(), s, s == AuditStep.Status.OK ? rows : null,
                    s == AuditStep.Status.OK ? updated : -1, error, blocked, blocked ? resumedAfter : 0);
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
    }
}
