package dev.holdfast.tasks;

import dev.holdfast.Database;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.Transaction;
import dev.holdfast.error.UniqueViolationException;
import dev.holdfast.tasks.internal.TaskTables;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every statement durable tasks run. Each write that a worker makes is guarded by {@code token = ?}: the fencing token
 * it got when it claimed the task, so a worker that lost the task changes nothing.
 */
final class TaskStore {
    private static final String STATUS_COLUMNS = "id, type, state, done, total, message, attempts, worker, "
            + "heartbeat_at, error, stop_requested, parent_id, created_at, updated_at";
    /** What a stop request turns a task into when the worker lets go of it. */
    private static final String STOP_OR = "case stop_requested when 'PAUSE' then 'PAUSED' when 'CANCEL' then "
            + "'CANCELLED' else %s end";

    final Database db;
    final TaskTables tables;

    TaskStore(Database db, TaskTables tables) {
        this.db = db;
        this.tables = tables;
    }

    /** A task a worker just claimed. */
    record Claim(TaskId id, String type, long token, int attempts, int maxAttempts, String checkpoint, TaskId parent) {
    }

    // ---------------------------------------------------------------------------------------------------- submit

    TaskId submit(String type, String checkpoint, String uniqueKey, TaskId parent, int maxAttempts, long now) {
        TaskId id = newId(now);
        try {
            db.execute("insert into holdfast_task (id, type, unique_key, parent_id, state, checkpoint, done, total, "
                    + "attempts, max_attempts, run_at, token, created_at, updated_at) "
                    + "values (?, ?, ?, ?, 'QUEUED', ?, 0, 0, 0, ?, ?, 0, ?, ?)",
                    id.value(), type, uniqueKey, parent == null ? null : parent.value(), checkpoint, maxAttempts, now,
                    now, now);
            return id;
        } catch (UniqueViolationException e) {
            if (uniqueKey == null) {
                throw e;
            }
            return db.queryOne(rs -> new TaskId(rs.getString(1)), "select id from holdfast_task where unique_key = ?",
                    uniqueKey).orElseThrow(() -> e);
        }
    }

    /**
     * Inserts a new task already claimed by {@code worker} (RUNNING, first attempt, fencing token 1, leased), for an
     * idle worker of this process to start at once: no claim statement. Autocommit only (the caller checks that no
     * transaction is open on this thread), so the row is committed before any worker sees the claim. With a unique
     * key that is taken, nothing is inserted and the existing task's id is returned without a claim.
     */
    /** A task submitted already claimed: its id, and the claim (null when its unique key was taken by another task). */
    record Submitted(TaskId id, Claim claim) {
    }

    Submitted submitClaimed(String type, String checkpoint, String uniqueKey, int maxAttempts, String worker,
                         long leaseMillis, long now) {
        TaskId id = newId(now);
        try {
            db.execute("insert into holdfast_task (id, type, unique_key, state, checkpoint, done, total, attempts, "
                    + "max_attempts, run_at, token, worker, lease_until, heartbeat_at, created_at, updated_at) "
                    + "values (?, ?, ?, 'RUNNING', ?, 0, 0, 1, ?, ?, 1, ?, ?, ?, ?, ?)",
                    id.value(), type, uniqueKey, checkpoint, maxAttempts, now, worker, now + leaseMillis, now, now,
                    now);
            return new Submitted(id, new Claim(id, type, 1, 1, maxAttempts, checkpoint, null));
        } catch (UniqueViolationException e) {
            if (uniqueKey == null) {
                throw e;
            }
            return new Submitted(db.queryOne(rs -> new TaskId(rs.getString(1)), "select id from holdfast_task where "
                    + "unique_key = ?", uniqueKey).orElseThrow(() -> e), null);
        }
    }

    private static final AtomicLong LAST_ID = new AtomicLong();

    /**
     * A UUID-shaped id whose first 48 bits are the submit time in ms and the next 16 a counter, so ids sort in submit
     * order (within a process; across processes, by millisecond). Workers claim due tasks in (run_at, id) order, so a
     * process's tasks start first-in, first-out.
     */
    static TaskId newId(long now) {
        long high = LAST_ID.updateAndGet(previous -> Math.max(previous + 1, now << 16));
        return new TaskId(new UUID(high, ThreadLocalRandom.current().nextLong()).toString());
    }

    // ------------------------------------------------------------------------------------------------------ claim

    /**
     * Claims the oldest runnable task of {@code types}: queued and due, or running with an expired lease (its worker
     * died or stalled). The claim takes a new fencing token. A candidate with a pause or cancel request is moved to
     * PAUSED or CANCELLED instead, and the next one is tried.
     */
    Optional<Claim> claim(Collection<String> types, String worker, long leaseMillis, long now) {
        for (int tries = 0; tries < 8; tries++) {
            Batch b = claim(types, worker, leaseMillis, now, 1);
            if (!b.claims().isEmpty() || b.locked() == 0) {
                return b.claims().stream().findFirst();
            }
        }
        return Optional.empty();
    }

    /**
     * What one batch claim did: the tasks claimed to run, in (run_at, id) order, and how many rows it took in all
     * (those plus the ones it stopped because a pause or cancel was waiting for them). {@code locked == max} means
     * there may be more runnable tasks.
     */
    record Batch(List<Claim> claims, int locked) {
    }

    /**
     * Claims up to {@code max} runnable tasks of {@code types}: one autocommit statement on PostgreSQL and SQLite, one
     * locking select and one update in a transaction on MariaDB. Each row gets its own new fencing token ({@code token
     * = token + 1}, computed by the database from the row it locked), exactly as a claim of one task would. A row with
     * a pause or cancel request is then stopped (fenced by the token it just got) instead of being returned.
     */
    Batch claim(Collection<String> types, String worker, long leaseMillis, long now, int max) {
        if (types.isEmpty() || max < 1) {
            return new Batch(List.of(), 0);
        }
        String in = String.join(", ", Collections.nCopies(types.size(), "?"));
        String candidates = "select id from holdfast_task where type in (" + in + ") and ((state in ('QUEUED', "
                + "'WAITING') and run_at <= ?) or (state = 'RUNNING' and lease_until < ?)) order by run_at, id limit ?"
                + tables.claimLock();
        String set = "update holdfast_task set state = 'RUNNING', token = token + 1, worker = ?, lease_until = ?, "
                + "heartbeat_at = ?, attempts = attempts + 1, updated_at = ? where ";
        List<Object> args = new ArrayList<>(types.size() + 7);
        args.addAll(List.of(worker, now + leaseMillis, now, now));
        args.addAll(types);
        args.addAll(List.of(now, now, max));
        if (tables.updateReturning()) {
            // PostgreSQL: the array makes the locking subquery run once. SQLite: its single writer serialises claims.
            String where = tables == TaskTables.POSTGRES ? "id = any(array(" + candidates + "))"
                    : "id in (" + candidates + ")";
            List<Object[]> rows = new ArrayList<>(db.executeReturning(TaskStore::claimRow, set + where + " returning "
                    + "id, type, token, attempts, max_attempts, checkpoint, parent_id, stop_requested", args.toArray()));
            rows.sort(Comparator.comparing(r -> ((Claim) r[0]).id().value()));   // ids sort by submit time
            if (rows.stream().allMatch(r -> r[1] == null)) {
                return new Batch(rows.stream().map(r -> (Claim) r[0]).toList(), rows.size());
            }
            return db.transact(tx -> stopRequested(tx, rows, now));
        }
        return db.transact(tx -> {
            // The rows stay locked until commit, so the token each had plus one is the token the update writes.
            List<Object[]> rows = tx.query(TaskStore::claimRow, "select id, type, token + 1, attempts + 1, "
                    + "max_attempts, checkpoint, parent_id, stop_requested " + candidates.substring("select id ".length()),
                    args.subList(4, args.size()).toArray());
            if (rows.isEmpty()) {
                return new Batch(List.of(), 0);
            }
            List<Object> ids = new ArrayList<>(List.of(worker, now + leaseMillis, now, now));
            rows.forEach(r -> ids.add(((Claim) r[0]).id().value()));
            tx.execute(set + "id in (" + String.join(", ", Collections.nCopies(rows.size(), "?")) + ")",
                    ids.toArray());
            return stopRequested(tx, rows, now);
        });
    }

    /**
     * The claimed rows that carry a pause or cancel request (their worker died before obeying it) stop here instead of
     * running; that claim is not an attempt. Returns the others.
     */
    private Batch stopRequested(Transaction tx, List<Object[]> rows, long now) {
        List<Claim> claims = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            Claim c = (Claim) r[0];
            String stop = (String) r[1];
            if (stop == null) {
                claims.add(c);
                continue;
            }
            tx.execute("update holdfast_task set state = " + STOP_OR.formatted("state") + ", stop_requested = null, "
                    + "worker = null, lease_until = null, attempts = attempts - 1, updated_at = ? where id = ? and "
                    + "token = ?", now, c.id().value(), c.token());
            if (c.parent() != null && "CANCEL".equals(stop)) {
                partFinished(tx, c.parent(), now);
            }
        }
        return new Batch(claims, rows.size());
    }

    /** A claimed row: the claim, and the stop request it carried. */
    private static Object[] claimRow(ResultSet rs) throws SQLException {
        String parent = rs.getString(7);
        return new Object[]{new Claim(new TaskId(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getInt(4),
                rs.getInt(5), rs.getString(6), parent == null ? null : new TaskId(parent)), rs.getString(8)};
    }

    // -------------------------------------------------------------------------------- fenced writes of a worker

    /** Outcome of a checkpoint write. */
    enum Written { KEPT, PAUSED, CANCELLED, RELEASED, LOST }

    /**
     * Writes the checkpoint in {@code tx} (the step's own transaction). One statement when nothing asked the task to
     * stop; otherwise the same transaction moves the task to PAUSED or CANCELLED, or (shutdown) releases it.
     */
    Written checkpoint(Transaction tx, Claim c, String checkpoint, boolean releasing, long leaseMillis, long now) {
        if (!releasing) {
            int n = tx.execute("update holdfast_task set checkpoint = ?, heartbeat_at = ?, lease_until = ?, "
                    + "updated_at = ? where id = ? and token = ? and state = 'RUNNING' and stop_requested is null",
                    checkpoint, now, now + leaseMillis, now, c.id().value(), c.token());
            if (n == 1) {
                return Written.KEPT;
            }
        }
        for (int tries = 0; tries < 4; tries++) {
            Optional<Object[]> row = tx.queryOne(rs -> new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3)},
                    "select token, state, stop_requested from holdfast_task where id = ?", c.id().value());
            if (row.isEmpty() || (Long) row.get()[0] != c.token() || !"RUNNING".equals(row.get()[1])) {
                return Written.LOST;
            }
            String stop = (String) row.get()[2];
            if (stop == null && !releasing) {
                int n = tx.execute("update holdfast_task set checkpoint = ?, heartbeat_at = ?, lease_until = ?, "
                        + "updated_at = ? where id = ? and token = ? and state = 'RUNNING' and stop_requested is null",
                        checkpoint, now, now + leaseMillis, now, c.id().value(), c.token());
                if (n == 1) {
                    return Written.KEPT;
                }
                continue;
            }
            // A release on shutdown does not count as an attempt: the handler did not fail.
            int n = tx.execute("update holdfast_task set checkpoint = ?, state = " + STOP_OR.formatted("'QUEUED'")
                    + ", stop_requested = null, worker = null, lease_until = null, run_at = ?, updated_at = ?, "
                    + "attempts = case when stop_requested is null then attempts - 1 else attempts end "
                    + "where id = ? and token = ? and state = 'RUNNING' and "
                    + (stop == null ? "stop_requested is null" : "stop_requested = ?"),
                    stop == null ? new Object[]{checkpoint, now, now, c.id().value(), c.token()}
                            : new Object[]{checkpoint, now, now, c.id().value(), c.token(), stop});
            if (n == 1) {
                if ("CANCEL".equals(stop) && c.parent() != null) {
                    partFinished(tx, c.parent(), now);
                }
                return stop == null ? Written.RELEASED : stop.equals("PAUSE") ? Written.PAUSED : Written.CANCELLED;
            }
        }
        return Written.LOST;
    }

    /** Progress, fenced. Joins a transaction open on this thread. */
    boolean progress(Claim c, long done, long total, String message, long now) {
        String m = message == null ? null : message.length() > 1000 ? message.substring(0, 1000) : message;
        return db.execute("update holdfast_task set done = ?, total = ?, message = ?, heartbeat_at = ?, updated_at = ? "
                + "where id = ? and token = ? and state = 'RUNNING'", done, total, m, now, now, c.id().value(),
                c.token()) == 1;
    }

    /** Extends the lease; false when the worker lost the task. */
    boolean heartbeat(Claim c, long leaseMillis, long now) {
        return db.execute("update holdfast_task set heartbeat_at = ?, lease_until = ? where id = ? and token = ? "
                + "and state = 'RUNNING'", now, now + leaseMillis, c.id().value(), c.token()) == 1;
    }

    /** The handler returned. A part also counts towards its parent, in the same transaction. */
    boolean succeed(Claim c, long now) {
        if (c.parent() == null) {
            return db.execute(SUCCEED, now, c.id().value(), c.token()) == 1;
        }
        return db.transact(tx -> succeed(tx, c, now));
    }

    /**
     * Records that the handlers of {@code done} returned, in one statement: each row is updated only when it still
     * has the claim's token ({@code token = case id when ? then ? ... end}), so a task another worker claimed since
     * is left alone, as by {@link #succeed}. Not for parts (their success counts towards the parent). Joins a
     * transaction open on this thread.
     *
     * @return how many of them this process still held
     */
    int succeedAll(List<Claim> done, long now) {
        if (done.size() == 1) {
            return succeed(done.get(0), now) ? 1 : 0;
        }
        List<Object> args = new ArrayList<>(done.size() * 3 + 1);
        args.add(now);
        StringBuilder tokens = new StringBuilder();
        for (Claim c : done) {
            args.add(c.id().value());
            tokens.append(" when ? then ?");
        }
        for (Claim c : done) {
            args.add(c.id().value());
            args.add(c.token());
        }
        return db.execute("update holdfast_task set state = 'SUCCEEDED', stop_requested = null, worker = null, "
                + "lease_until = null, error = null, updated_at = ? where id in ("
                + String.join(", ", Collections.nCopies(done.size(), "?")) + ") and state = 'RUNNING' and "
                + "token = case id" + tokens + " end", args.toArray());
    }

    private static final String SUCCEED = "update holdfast_task set state = 'SUCCEEDED', stop_requested = null, "
            + "worker = null, lease_until = null, error = null, updated_at = ? where id = ? and token = ? and "
            + "state = 'RUNNING'";

    private static boolean succeed(Transaction tx, Claim c, long now) {
        boolean mine = tx.execute(SUCCEED, now, c.id().value(), c.token()) == 1;
        if (mine && c.parent() != null) {
            partFinished(tx, c.parent(), now);
        }
        return mine;
    }

    /** The handler threw: queue a retry at {@code runAt}, or fail for good when {@code last}. */
    boolean fail(Claim c, String error, boolean last, long runAt, long now) {
        String e = error.length() > 4000 ? error.substring(0, 4000) : error;
        return db.transact(tx -> {
            boolean mine = tx.execute("update holdfast_task set state = "
                    + STOP_OR.formatted(last ? "'FAILED'" : "'QUEUED'") + ", stop_requested = null, worker = null, "
                    + "lease_until = null, error = ?, run_at = ?, updated_at = ? where id = ? and token = ? and "
                    + "state = 'RUNNING'", e, runAt, now, c.id().value(), c.token()) == 1;
            if (mine && c.parent() != null && tx.queryScalar(String.class, "select state from holdfast_task where "
                    + "id = ?", c.id().value()).matches("FAILED|CANCELLED")) {
                partFinished(tx, c.parent(), now);
            }
            return mine;
        });
    }

    /**
     * One more part of {@code parent} finished: count it in the parent's progress and, when it was the last, wake the
     * waiting parent now. Runs in the transaction that finished the part (whose fenced or conditional update changed
     * exactly one row), so each part is counted once. {@code run_at} is assigned before {@code done} because MariaDB
     * evaluates SET clauses left to right with the new values.
     */
    private static void partFinished(Transaction tx, TaskId parent, long now) {
        tx.execute("update holdfast_task set run_at = case when state = 'WAITING' and done + 1 >= total then ? "
                + "else run_at end, done = done + 1, updated_at = ? where id = ?", now, now, parent.value());
    }

    /** Counts of a parent's parts by state. */
    record PartCounts(int total, int succeeded, int failed, int cancelled) {
        int finished() {
            return succeeded + failed + cancelled;
        }
    }

    /**
     * Sets the parent's progress to its finished parts and, when some are not finished, lets the parent wait (state
     * WAITING, lease released, not counted as an attempt) until the last one wakes it, or until {@code recheckAt}.
     * The fenced progress update comes first: it locks the parent's row, so a part finishing meanwhile counts itself
     * after this commits, and its wake-up is not lost.
     */
    Optional<PartCounts> awaitParts(Claim c, long recheckAt, long now) {
        return db.transact(tx -> {
            if (tx.execute("update holdfast_task set heartbeat_at = ? where id = ? and token = ? and state = 'RUNNING'",
                    now, c.id().value(), c.token()) == 0) {
                throw new LeaseLostException("task " + c.id() + " was claimed by another worker while this one "
                        + "waited for its parts");
            }
            int[] n = new int[4];
            tx.query(rs -> {
                int count = rs.getInt(2);
                n[0] += count;
                switch (rs.getString(1)) {
                    case "SUCCEEDED" -> n[1] += count;
                    case "FAILED" -> n[2] += count;
                    case "CANCELLED" -> n[3] += count;
                    default -> { }
                }
                return null;
            }, "select state, count(*) from holdfast_task where parent_id = ? group by state", c.id().value());
            PartCounts counts = new PartCounts(n[0], n[1], n[2], n[3]);
            if (counts.finished() == counts.total()) {
                tx.execute("update holdfast_task set done = ?, total = ? where id = ?", counts.finished(),
                        counts.total(), c.id().value());
                return Optional.of(counts);
            }
            tx.execute("update holdfast_task set done = ?, total = ?, state = " + STOP_OR.formatted("'WAITING'")
                    + ", stop_requested = null, worker = null, lease_until = null, run_at = ?, "
                    + "attempts = attempts - 1, updated_at = ? where id = ?", counts.finished(), counts.total(),
                    recheckAt, now, c.id().value());
            return Optional.empty();
        });
    }

    /**
     * Lets go of a task whose handler is still running after the shutdown timeout. Safe because of the fence: the
     * next claim takes a new token, so the handler's later checkpoints fail.
     */
    boolean release(Claim c, long now) {
        return db.execute("update holdfast_task set state = " + STOP_OR.formatted("'QUEUED'") + ", stop_requested = "
                + "null, worker = null, lease_until = null, run_at = ?, updated_at = ? where id = ? and token = ? and "
                + "state = 'RUNNING'", now, now, c.id().value(), c.token()) == 1;
    }

    /**
     * Lets go of a task claimed but not started (the worker was told to stop in between): queued again, still due, and
     * the claim does not count as an attempt.
     */
    boolean releaseUnstarted(Claim c, long now) {
        return db.execute("update holdfast_task set state = " + STOP_OR.formatted("'QUEUED'") + ", stop_requested = "
                + "null, worker = null, lease_until = null, attempts = attempts - 1, updated_at = ? where id = ? and "
                + "token = ? and state = 'RUNNING'", now, c.id().value(), c.token()) == 1;
    }

    // ------------------------------------------------------------------------------------- pause / resume / cancel

    boolean pause(TaskId id, long now) {
        return db.transact(tx -> {
            int n = tx.execute("update holdfast_task set state = 'PAUSED', updated_at = ? where id = ? and "
                    + "state in ('QUEUED', 'WAITING')", now, id.value());
            if (n == 0) {
                n = tx.execute("update holdfast_task set stop_requested = 'PAUSE', updated_at = ? where id = ? and "
                        + "state = 'RUNNING' and stop_requested is null", now, id.value());
            }
            return n == 1 || absent(tx, id);
        });
    }

    boolean resume(TaskId id, long now) {
        return db.transact(tx -> {
            int n = tx.execute("update holdfast_task set state = 'QUEUED', run_at = ?, updated_at = ? where id = ? "
                    + "and state = 'PAUSED'", now, now, id.value());
            if (n == 0) {
                n = tx.execute("update holdfast_task set stop_requested = null, updated_at = ? where id = ? and "
                        + "state = 'RUNNING' and stop_requested = 'PAUSE'", now, id.value());
            }
            return n == 1 || absent(tx, id);
        });
    }

    boolean cancel(TaskId id, long now) {
        return db.transact(tx -> {
            int n = tx.execute("update holdfast_task set state = 'CANCELLED', updated_at = ? where id = ? and "
                    + "state in ('QUEUED', 'WAITING', 'PAUSED')", now, id.value());
            if (n == 1) {
                String parent = tx.query(rs -> rs.getString(1), "select parent_id from holdfast_task where id = ?",
                        id.value()).get(0);
                if (parent != null) {
                    partFinished(tx, new TaskId(parent), now);
                }
            } else {
                n = tx.execute("update holdfast_task set stop_requested = 'CANCEL', updated_at = ? where id = ? and "
                        + "state = 'RUNNING' and (stop_requested is null or stop_requested = 'PAUSE')", now, id.value());
            }
            if (n == 1) {
                // The parts of a cancelled task are cancelled too: queued ones now, running ones at their checkpoint.
                tx.execute("update holdfast_task set state = 'CANCELLED', updated_at = ? where parent_id = ? and "
                        + "state in ('QUEUED', 'WAITING', 'PAUSED')", now, id.value());
                tx.execute("update holdfast_task set stop_requested = 'CANCEL', updated_at = ? where parent_id = ? "
                        + "and state = 'RUNNING'", now, id.value());
            }
            return n == 1 || absent(tx, id);
        });
    }

    /** False when the task exists (it was simply in a state the call does not apply to); NotFoundException when not. */
    private static boolean absent(Transaction tx, TaskId id) {
        if (tx.queryOne(rs -> rs.getString(1), "select id from holdfast_task where id = ?", id.value()).isEmpty()) {
            throw new NotFoundException("no task has the id " + id + " (it was never submitted here, or purged)");
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------------- reading

    TaskStatus status(TaskId id) {
        return db.queryOne(TaskStore::status, "select " + STATUS_COLUMNS + " from holdfast_task where id = ?",
                id.value()).orElseThrow(() -> new NotFoundException("no task has the id " + id
                + " (it was never submitted here, or purged)"));
    }

    String checkpoint(TaskId id) {
        return db.queryOne(rs -> rs.getString(1), "select checkpoint from holdfast_task where id = ?", id.value())
                .orElseThrow(() -> new NotFoundException("no task has the id " + id));
    }

    List<TaskStatus> list(int limit) {
        return db.query(TaskStore::status, "select " + STATUS_COLUMNS + " from holdfast_task order by created_at, id "
                + "limit ?", limit);
    }

    List<TaskStatus> parts(TaskId parent) {
        return db.query(TaskStore::status, "select " + STATUS_COLUMNS + " from holdfast_task where parent_id = ? "
                + "order by created_at, id", parent.value());
    }

    int purge(long before) {
        return db.execute("delete from holdfast_task where state in ('SUCCEEDED', 'FAILED', 'CANCELLED') and "
                + "updated_at < ?", before);
    }

    private static TaskStatus status(ResultSet rs) throws SQLException {
        String parent = rs.getString(12);
        long hb = rs.getLong(9);
        boolean hbNull = rs.wasNull();
        return new TaskStatus(new TaskId(rs.getString(1)), rs.getString(2), TaskState.valueOf(rs.getString(3)),
                rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                hbNull ? null : Instant.ofEpochMilli(hb), rs.getString(10), rs.getString(11),
                parent == null ? null : new TaskId(parent), Instant.ofEpochMilli(rs.getLong(13)),
                Instant.ofEpochMilli(rs.getLong(14)));
    }
}
