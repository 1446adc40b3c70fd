package dev.holdfast.testkit.detect.internal;

import dev.holdfast.SqlStatement;
import dev.holdfast.StatementListener;
import dev.holdfast.StatementOutcome;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.RecordedStatement;
import dev.holdfast.testkit.detect.RecordedTransaction;
import dev.holdfast.testkit.detect.RecordedTransaction.Ending;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The thread-safe store behind a RaceDetector: finished transactions in the order they ended, and the open ones of
 * every session (a wrapped connection, or a thread for the Holdfast listener).
 */
public final class Recorder {
    private final List<RecordedTransaction> finished = new ArrayList<>();
    private final Map<Object, Open> open = new ConcurrentHashMap<>();

    /** A transaction being recorded. */
    public static final class Open {
        final String session;
        final DatabaseKind database;
        final String isolation;
        final List<RecordedStatement> statements = new ArrayList<>();

        Open(String session, DatabaseKind database, String isolation) {
            this.session = session;
            this.database = database;
            this.isolation = isolation;
        }

        synchronized RecordedTransaction end(Ending ending) {
            return new RecordedTransaction(session, database, isolation, List.copyOf(statements), ending);
        }

        synchronized void add(RecordedStatement s) {
            statements.add(s);
        }

        synchronized boolean isEmpty() {
            return statements.isEmpty();
        }
    }

    /** Adds a statement to the open transaction of {@code owner}, opening one when none is. */
    public void statement(Object owner, String session, DatabaseKind db, String isolation, RecordedStatement s) {
        open.computeIfAbsent(owner, k -> new Open(session, db, isolation)).add(s);
    }

    /** Records a statement that was a transaction of its own (autocommit). */
    public void autocommit(String session, DatabaseKind db, String isolation, RecordedStatement s) {
        add(new RecordedTransaction(session, db, isolation, List.of(s), Ending.COMMIT));
    }

    /** Ends the open transaction of {@code owner}, if it has statements. */
    public void end(Object owner, Ending ending) {
        Open o = open.remove(owner);
        if (o != null && !o.isEmpty()) {
            add(o.end(ending));
        }
    }

    /** True when {@code owner} has an open transaction with statements. */
    public boolean isOpen(Object owner) {
        Open o = open.get(owner);
        return o != null && !o.isEmpty();
    }

    private synchronized void add(RecordedTransaction t) {
        finished.add(t);
    }

    /** The finished transactions, then the open ones (as {@link Ending#OPEN}). */
    public List<RecordedTransaction> snapshot() {
        List<RecordedTransaction> all;
        synchronized (this) {
            all = new ArrayList<>(finished);
        }
        for (Open o : open.values()) {
            if (!o.isEmpty()) {
                all.add(o.end(Ending.OPEN));
            }
        }
        return all;
    }

    public synchronized void clear() {
        finished.clear();
        open.clear();
    }

    /** A {@link StatementListener} recording what a Holdfast {@code Database} sends, one session per thread. */
    public StatementListener listener(String isolation) {
        return new StatementListener() {
            @Override
            public void afterStatement(StatementOutcome o) {
                SqlStatement st = o.statement();
                Thread t = Thread.currentThread();
                String session = "thread " + t.getName();
                switch (st.kind()) {
                    case QUERY, UPDATE, BATCH -> {
                        RecordedStatement rs = new RecordedStatement(st.sql(), st.parameters(), o.elapsed());
                        if (st.attempt() == 0 && !isOpen(t)) {
                            autocommit(session, null, isolation, rs);
                        } else {
                            statement(t, session, null, isolation, rs);
                        }
                    }
                    case BEGIN -> end(t, Ending.OPEN);
                    case COMMIT -> end(t, o.failed() ? Ending.ROLLBACK : Ending.COMMIT);
                    case ROLLBACK -> {
                        if (!st.sql().toUpperCase(Locale.ROOT).startsWith("ROLLBACK TO")) {
                            end(t, Ending.ROLLBACK);
                        }
                    }
                    case SAVEPOINT -> { }
                }
            }
        };
    }
}
