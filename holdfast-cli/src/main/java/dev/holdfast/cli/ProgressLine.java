package dev.holdfast.cli;

import dev.holdfast.testkit.audit.AuditCell;
import dev.holdfast.testkit.audit.AuditProgress;
import java.io.PrintWriter;

/**
 * The audit's progress on standard error: one line redrawn in place on a terminal, one line per finished level
 * otherwise (so a CI log stays short).
 */
final class ProgressLine implements AuditProgress {
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private boolean drawn;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void cellDone(int done, int total, AuditCell cell) {
        if (terminal) {
            String line = String.format("holdfast audit: %3d/%d  %-32s %s", done, total, cell.level(), cell.test());
            err.print("\r" + line + " ".repeat(Math.max(0, 78 - line.length())));
            drawn = true;
        } else if (done == total || cell.test().equals("G2-two-edges")) {
            err.println("holdfast audit: " + cell.level() + " done (" + done + "/" + total + " cells)");
        }
        err.flush();
    }

    void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
        }
    }
}
