package dev.holdfast.replica;

/**
 * Where a Database's routed reads were served since it opened ({@code db.replicaReads()}): to watch the share that
 * replicas take and why the rest went to the primary.
 *
 * @param replica             reads a replica served
 * @param waited              of those, reads that first waited for the replica to reach their position
 * @param primaryReplicaBehind reads sent to the primary because no replica reached their position within the wait
 * @param primaryReplicaDown  reads sent to the primary because no replica could be reached (each logged as a warning)
 */
public record ReplicaReads(long replica, long waited, long primaryReplicaBehind, long primaryReplicaDown) {

    /** Every routed read. */
    public long total() {
        return replica + primaryReplicaBehind + primaryReplicaDown;
    }

    /** The share of routed reads a replica served, 0 to 1 (0 when there were none). */
    public double replicaShare() {
        return total() == 0 ? 0 : (double) replica / total();
    }
}
