package dev.holdfast.testkit;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code SHOW ENGINE INNODB STATUS}: which connections wait for a row lock now. Only the TRANSACTIONS section
 * says that: the LATEST DETECTED DEADLOCK section above it also holds {@code LOCK WAIT} next to thread ids, but of
 * transactions that were rolled back long ago, and reading it would mark a connection with no transaction as waiting.
 *
 * <p>A transaction waits when its entry says both {@code LOCK WAIT} and {@code TRX HAS BEEN WAITING ... FOR THIS LOCK
 * TO BE GRANTED}. The two are not the same fact: InnoDB prints the second while the transaction has a lock request not
 * granted yet ({@code trx->lock.wait_lock}), which the transaction that releases the lock clears as it commits; it
 * prints the first while the waiting thread has not yet woken up and noticed ({@code trx->lock.wait_thr}, cleared by
 * that thread itself). Between the two — a few microseconds, or milliseconds on a loaded machine — {@code LOCK WAIT}
 * names a connection that is no longer waiting, and the explorer, asking right after the holder's commit, took an actor
 * about to move on for a blocked one: a replay then found it ready where the first run had not ("the actors do not
 * behave the same way twice", seen once in DurableTaskScenarioTest on MariaDB under a full build's load).
 */
final class InnoDbStatus {
    private static final Pattern THREAD = Pattern.compile("(?:MariaDB|MySQL) thread id (\\d+)");
    /** A section header: a line of dashes, a line of capitals, a line of dashes. */
    private static final Pattern HEADER = Pattern.compile("(?m)^-{3,}\\n([A-Z][A-Z /]*[A-Z])\\n-{3,}$");

    private InnoDbStatus() {
    }

    /**
     * The thread ids ({@code connection_id()}) of the transactions waiting for a lock not granted yet, from the
     * TRANSACTIONS section.
     */
    static Set<Long> waitingThreads(String status) {
        Set<Long> waiting = new TreeSet<>();
        for (String trx : transactionsSection(status).split("---TRANSACTION ")) {
            if (trx.contains("\nLOCK WAIT ") && trx.contains("\n------- TRX HAS BEEN WAITING ")) {
                Matcher m = THREAD.matcher(trx);
                if (m.find()) {
                    waiting.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return waiting;
    }

    /** The text of the TRANSACTIONS section, without the other sections; empty when there is none. */
    static String transactionsSection(String status) {
        Matcher m = HEADER.matcher(status.replace("\r\n", "\n"));
        String text = status.replace("\r\n", "\n");
        int start = -1;
        while (m.find()) {
            if (start >= 0) {
                return text.substring(start, m.start());
            }
            if (m.group(1).equals("TRANSACTIONS")) {
                start = m.end();
            }
        }
        return start >= 0 ? text.substring(start) : "";
    }
}
