package dev.holdfast.cli;

import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditProgress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Progress that can stop the audit between two cells, where none of its transactions is open. On Ctrl-C the JVM keeps
 * the audit's thread running while the clean-up runs; without this it would re-create the table the clean-up dropped.
 */
final class HeldAudit implements AuditProgress {
    private final AuditProgress progress;
    private volatile boolean holding;
    private final CountDownLatch held = new CountDownLatch(1);

    HeldAudit(AuditProgress progress) {
        this.progress = progress;
    }

    @Override
    public void cellDone(int done, int total, AuditCell cell) {
        if (holding) {
            held.countDown();
            while (true) {   // until the JVM exits
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep holding: the process is going away
                }
            }
        }
        progress.cellDone(done, total, cell);
    }

    /** Stops the audit at its next cell boundary; waits for it (a cell takes well under a minute). */
    void hold() {
        holding = true;
        try {
            held.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
