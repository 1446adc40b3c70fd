package dev.holdfast.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the statement of a thread that is interrupted while it waits in the driver. JDBC drivers block in a socket
 * read that ignores {@link Thread#interrupt()}: a thread waiting for a row lock would wait until the lock is granted
 * and then commit, whatever its owner asked. One daemon thread looks at the threads running a statement a few times a
 * second and calls {@link Statement#cancel()} (PostgreSQL's cancel request, MariaDB's {@code KILL QUERY}) for those
 * whose interrupt flag is set; the statement then fails, and the transaction rolls back.
 */
public final class InterruptWatch {
    private static final long PERIOD_MILLIS = 20;
    private static final Map<Thread, Statement> RUNNING = new ConcurrentHashMap<>();
    private static volatile Thread watcher;

    private InterruptWatch() {
    }

    /** The calling thread is about to run {@code statement}; until {@link #done()}, an interrupt cancels it. */
    public static void running(Statement statement) {
        RUNNING.put(Thread.currentThread(), statement);
        if (watcher == null) {
            start();
        }
    }

    /** The calling thread's statement has returned. */
    public static void done() {
        RUNNING.remove(Thread.currentThread());
    }

    private static synchronized void start() {
        if (watcher != null) {
            return;
        }
        Thread t = new Thread(InterruptWatch::watch, "holdfast-interrupt-watch");
        t.setDaemon(true);
        watcher = t;
        t.start();
    }

    private static void watch() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                // nobody but the JVM's end stops this thread; keep watching
            }
            for (Map.Entry<Thread, Statement> running : RUNNING.entrySet()) {
                if (running.getKey().isInterrupted() && RUNNING.remove(running.getKey(), running.getValue())) {
                    try {
                        running.getValue().cancel();
                    } catch (SQLException | RuntimeException e) {
                        // the statement ended or its connection is gone: either way it no longer waits
                    }
                }
            }
        }
    }
}
