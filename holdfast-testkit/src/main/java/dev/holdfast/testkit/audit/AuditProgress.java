package dev.holdfast.testkit.audit;

/**
 * Told about each cell as soon as it is measured, e.g. to draw a progress line.
 *
 * <pre>{@code
 * AuditProgress progress = (done, total, cell) ->
 *     System.err.printf("\r%d/%d %s at %s", done, total, cell.test(), cell.level());
 * }</pre>
 */
@FunctionalInterface
public interface AuditProgress {
    /** Does nothing. */
    AuditProgress NONE = (done, total, cell) -> { };

    /**
     * @param done  how many cells are measured, this one included
     * @param total how many cells the audit measures
     * @param cell  the cell just measured
     */
    void cellDone(int done, int total, AuditCell cell);
}
