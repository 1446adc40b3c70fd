package dev.holdfast.draft;

import dev.holdfast.Transaction;
import dev.holdfast.error.HoldfastException;
import dev.holdfast.error.UniqueViolationException;
import dev.holdfast.internal.dialect.Dialect;
import dev.holdfast.internal.record.RecordColumns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A draft's commit, inside one transaction: lock every touched row, merge column by column (base, mine, theirs),
 * and only when no row conflicts, write. The first phase writes nothing, so a conflict leaves every row as it was.
 */
final class DraftCommit {
    /** Ids per locking read: well under every database's limit on bound parameters (SQLite's old 999). */
    static final int CHUNK = 500;

    private DraftCommit() {
    }

    static void run(Transaction tx, Drafts drafts, String draftId) {
        DraftTables.State s = drafts.tables().lockOpen(tx, draftId);
        Map<String, RowChange> folded = drafts.fold(drafts.tables().operations(tx, draftId, s.applied(), null, null));
        // Rows are locked in one global order (table, then key), so two commits touching the same rows wait for each
        // other instead of deadlocking. The rows of one table are read and locked a chunk at a time, not one by one.
        Map<String, List<RowChange>> byTable = new TreeMap<>();
        for (RowChange rc : folded.values()) {
            byTable.computeIfAbsent(rc.table, t -> new ArrayList<>()).add(rc);
        }
        List<DraftConflict> conflicts = new ArrayList<>();
        Writes writes = new Writes(drafts.dialect);
        for (List<RowChange> rows : byTable.values()) {
            rows.sort(Comparator.comparing((RowChange r) -> r.rowId));
            Map<String, Object[]> theirs = lockedRead(tx, drafts.dialect, rows);
            for (RowChange rc : rows) {
                merge(rc, theirs.get(rc.rowId), conflicts, writes);
            }
        }
        if (!conflicts.isEmpty()) {
            throw new DraftConflictException(draftId, conflicts);
        }
        writes.run(tx, conflicts);
        if (!conflicts.isEmpty()) {
            throw new DraftConflictException(draftId, conflicts);   // an insert that hit a key inserted meanwhile
        }
        drafts.tables().close(tx, draftId, DraftTables.COMMITTED, drafts.clock.millis());
    }

    private static void merge(RowChange rc, Object[] theirs, List<DraftConflict> conflicts, Writes writes) {
        RecordColumns<?> cols = rc.columns;
        if (rc.deleted()) {
            if (theirs != null) {
                boolean changed = false;
                for (int i = 0; i < theirs.length; i++) {
                    if (i != cols.versionIndex() && !ValueText.same(rc.deletedBase[i], theirs[i])) {
                        changed = true;
                        conflicts.add(conflict(rc, i, rc.deletedBase[i], null, theirs[i],
                                DraftConflict.Reason.ROW_CHANGED));
                    }
                }
                if (!changed) {
                    writes.delete(rc);
                }
            }
            if (rc.inserted != null) {
                writes.inserts.add(rc);
            }
            return;
        }
        if (rc.inserted != null) {
            if (theirs != null) {
                conflicts.add(conflict(rc, cols.idIndex(), null, cols.construct(rc.inserted), cols.construct(theirs),
                        DraftConflict.Reason.ROW_EXISTS));
            } else {
                writes.inserts.add(rc);
            }
            return;
        }
        if (theirs == null) {
            rc.mine.forEach((i, m) -> conflicts.add(conflict(rc, i, rc.base.get(i), m, null,
                    DraftConflict.Reason.ROW_DELETED)));
            return;
        }
        List<Integer> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        rc.mine.forEach((i, m) -> {
            Object b = rc.base.get(i);
            Object t = theirs[i];
            if (ValueText.same(t, b)) {
                if (!ValueText.same(m, b)) {
                    columns.add(i);   // only mine changed it
                    values.add(m);
                }
            } else if (!ValueText.same(m, t) && !ValueText.same(m, b)) {
                conflicts.add(conflict(rc, i, b, m, t, DraftConflict.Reason.COLUMN_CHANGED));
            }
            // else: only theirs changed it (keep theirs), or both changed it to the same value
        });
        if (!columns.isEmpty()) {
            writes.update(rc, columns, values);
        }
    }

    /**
     * The touched rows of one table as committed, by row id, each locked until the commit ends: one
     * {@code SELECT ... WHERE id IN (...) ORDER BY id FOR UPDATE} per {@link #CHUNK} rows. A row missing from the
     * result is gone.
     */
    private static Map<String, Object[]> lockedRead(Transaction tx, Dialect dialect, List<RowChange> rows) {
        RecordColumns<?> cols = rows.get(0).columns;
        // The record's own read by id first: it checks the table against the record once per database (as modify
        // did for each row), so a table that cannot hold the draft's values fails here, before anything is written.
        tx.find(cols.type(), rows.get(0).id);
        List<Object> ids = new ArrayList<>(rows.size());
        for (RowChange rc : rows) {
            ids.add(rc.id);
        }
        sortIfComparable(ids);
        Map<String, Object[]> out = new HashMap<>(rows.size() * 2);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Object> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            read(tx, dialect, cols, chunk, out);
        }
        return out;
    }

    private static <T> void read(Transaction tx, Dialect dialect, RecordColumns<T> cols, List<Object> ids,
                                 Map<String, Object[]> out) {
        for (T row : tx.query(cols.reader(dialect), cols.selectByIdsForUpdate(dialect, ids.size()), ids.toArray())) {
            Object[] values = cols.values(row);
            out.put(ValueText.encode(values[cols.idIndex()]), values);
        }
    }

    /** Ids in their natural order, so chunks follow the order the database locks them in. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void sortIfComparable(List<Object> ids) {
        for (Object id : ids) {
            if (!(id instanceof Comparable)) {
                return;
            }
        }
        try {
            ids.sort((a, b) -> ((Comparable) a).compareTo(b));
        } catch (ClassCastException mixed) {
            // keys of one @Id type are all of one class; leave any other order as it is
        }
    }

    /**
     * The writes of a commit without conflicts, grouped so that each group is one JDBC batch: updates by table and
     * set of changed columns, deletes by table, inserts by record class.
     */
    private static final class Writes {
        private final Dialect dialect;
        private final Map<String, Batch> updates = new LinkedHashMap<>();
        private final Map<String, Batch> deletes = new LinkedHashMap<>();
        final List<RowChange> inserts = new ArrayList<>();

        Writes(Dialect dialect) {
            this.dialect = dialect;
        }

        private record Batch(String sql, String table, List<Object[]> rows) {
        }

        void update(RowChange rc, List<Integer> columns, List<Object> values) {
            String key = rc.table + '\u0001' + columns;
            Batch b = updates.computeIfAbsent(key, k -> new Batch(rc.columns.updateColumns(dialect, columns),
                    rc.table, new ArrayList<>()));
            values.add(rc.id);
            b.rows.add(values.toArray());
        }

        void delete(RowChange rc) {
            Batch b = deletes.computeIfAbsent(rc.table, k -> new Batch(rc.columns.deleteById(dialect), rc.table,
                    new ArrayList<>()));
            b.rows.add(new Object[] {rc.id});
        }

        /** Updates, then deletes, then inserts: a row the draft deleted and inserted again is replaced. */
        void run(Transaction tx, List<DraftConflict> conflicts) {
            for (Batch b : updates.values()) {
                int[] counts = tx.executeBatch(b.sql, b.rows);
                for (int c : counts) {
                    if (c == 0) {
                        throw new HoldfastException("Draft commit: a row of " + b.table + " locked by this "
                                + "transaction vanished before its update; nothing of the draft was committed");
                    }
                }
            }
            for (Batch b : deletes.values()) {
                tx.executeBatch(b.sql, b.rows);
            }
            Map<Class<?>, List<RowChange>> byType = new LinkedHashMap<>();
            for (RowChange rc : inserts) {
                byType.computeIfAbsent(rc.columns.type(), t -> new ArrayList<>()).add(rc);
            }
            for (List<RowChange> rows : byType.values()) {
                List<Object> records = new ArrayList<>(rows.size());
                for (RowChange rc : rows) {
                    records.add(rc.columns.construct(rc.inserted));
                }
                try {
                    tx.savepoint(sp -> sp.insertAll(records));
                } catch (UniqueViolationException clash) {
                    // Someone inserted one of the keys meanwhile: insert row by row to report every clash by name.
                    for (RowChange rc : rows) {
                        insert(tx, rc, conflicts);
                    }
                }
            }
        }
    }

    /** Inserts the draft's new row; a key inserted by someone else meanwhile becomes a conflict, not a failure. */
    private static void insert(Transaction tx, RowChange rc, List<DraftConflict> conflicts) {
        RecordColumns<?> cols = rc.columns;
        Object record = cols.construct(rc.inserted);
        try {
            tx.savepoint(sp -> sp.insert(record));
        } catch (UniqueViolationException e) {
            Object existing = tx.find(cols.type(), rc.id).orElse(null);
            conflicts.add(conflict(rc, cols.idIndex(), null, record, existing, DraftConflict.Reason.ROW_EXISTS));
        }
    }

    private static DraftConflict conflict(RowChange rc, int column, Object base, Object mine, Object theirs,
                                          DraftConflict.Reason reason) {
        return new DraftConflict(rc.columns.type(), rc.table, rc.id, rc.columns.columns().get(column), base, mine,
                theirs, reason);
    }
}
