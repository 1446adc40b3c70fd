package dev.holdfast.draft;

import dev.holdfast.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The three tables a draft lives in, and every statement on them. A write to a draft first locks its row in
 * {@code holdfast_draft} (on SQLite the write transaction already excludes other writers), so operations on one draft
 * from several threads or processes are recorded one after the other, in a defined order.
 */
final class DraftTables {
    static final String OPEN = "OPEN";
    static final String COMMITTED = "COMMITTED";
    static final String CANCELLED = "CANCELLED";

    /** The draft's row: who owns it, whether it is open, how many operations are applied and stored. */
    record State(String owner, String state, int applied, int recorded, long revision) {
    }

    final String databaseName;
    private final String lockSuffix;

    DraftTables(String databaseName) {
        this.databaseName = databaseName;
        this.lockSuffix = databaseName.equals("sqlite") ? "" : " FOR UPDATE";
    }

    /** The DDL, as documented in docs/drafts.md; {@code if not exists}, so running it again is harmless. */
    static List<String> ddl(String databaseName) {
        String text = databaseName.equals("mariadb") ? "longtext" : "text";
        return List.of("""
                create table if not exists holdfast_draft (
                  id varchar(36) not null primary key,
                  owner varchar(200) not null,
                  state varchar(10) not null,
                  applied int not null,
                  recorded int not null,
                  revision bigint not null,
                  created_at bigint not null,
                  touched_at bigint not null
                )""",
                "create index if not exists holdfast_draft_owner on holdfast_draft (owner, state)",
                """
                create table if not exists holdfast_draft_operation (
                  draft_id varchar(36) not null,
                  seq int not null,
                  kind varchar(10) not null,
                  record_class varchar(400) not null,
                  table_name varchar(200) not null,
                  row_id varchar(200) not null,
                  base_version bigint,
                  primary key (draft_id, seq)
                )""",
                """
                create table if not exists holdfast_draft_value (
                  draft_id varchar(36) not null,
                  seq int not null,
                  column_name varchar(200) not null,
                  old_value %s,
                  new_value %s,
                  primary key (draft_id, seq, column_name)
                )""".formatted(text, text));
    }

    void create(Transaction tx, String id, String owner, long now) {
        tx.execute("insert into holdfast_draft (id, owner, state, applied, recorded, revision, created_at, touched_at) "
                + "values (?, ?, ?, 0, 0, 0, ?, ?)", id, owner, OPEN, now, now);
    }

    /** The draft's state, read without a lock; empty when there is no such draft. */
    java.util.Optional<State> read(Transaction tx, String id) {
        return tx.queryOne(rs -> new State(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                rs.getLong(5)), "select owner, state, applied, recorded, revision from holdfast_draft where id = ?", id);
    }

    /** Locks the draft's row for this transaction and returns its state; DraftClosedException unless it is open. */
    State lockOpen(Transaction tx, String id) {
        State s = tx.queryOne(rs -> new State(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getLong(5)),
                "select owner, state, applied, recorded, revision from holdfast_draft where id = ?" + lockSuffix, id)
                .orElseThrow(() -> new DraftClosedException("There is no draft " + id + ": it expired, or the id is "
                        + "wrong. Open a new one with drafts.open(owner)"));
        if (!s.state().equals(OPEN)) {
            throw new DraftClosedException("Draft " + id + " is " + s.state().toLowerCase(java.util.Locale.ROOT)
                    + "; nothing more can be recorded, undone or committed on it. Open a new one with drafts.open(owner)");
        }
        return s;
    }

    /** The applied operations, in order; only those of one row when {@code table} is not null. */
    List<Operation> operations(Transaction tx, String id, int applied, String table, String rowId) {
        String sql = "select o.seq, o.kind, o.record_class, o.table_name, o.row_id, o.base_version, v.column_name, "
                + "v.old_value, v.new_value from holdfast_draft_operation o left join holdfast_draft_value v "
                + "on v.draft_id = o.draft_id and v.seq = o.seq where o.draft_id = ? and o.seq <= ?"
                + (table == null ? "" : " and o.table_name = ? and o.row_id = ?") + " order by o.seq, v.column_name";
        Object[] args = table == null ? new Object[] {id, applied} : new Object[] {id, applied, table, rowId};
        List<Operation> out = new ArrayList<>();
        List<Operation.Entry> entries = null;
        int seq = -1;
        for (Object[] r : tx.query(rs -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getObject(6) == null ? null : rs.getLong(6), rs.getString(7),
                rs.getString(8), rs.getString(9)}, sql, args)) {
            if ((int) r[0] != seq) {
                seq = (int) r[0];
                entries = new ArrayList<>();
                out.add(new Operation(seq, Operation.Kind.valueOf((String) r[1]), (String) r[2], (String) r[3],
                        (String) r[4], (Long) r[5], entries));
            }
            if (r[6] != null) {
                entries.add(new Operation.Entry((String) r[6], (String) r[7], (String) r[8]));
            }
        }
        return out;
    }

    /**
     * Stores {@code ops} after the applied ones, dropping the redo branch (operations after {@code applied}) first,
     * and moves the draft on.
     */
    void append(Transaction tx, String id, State s, List<Operation> ops, long now) {
        if (s.recorded() > s.applied()) {
            tx.execute("delete from holdfast_draft_value where draft_id = ? and seq > ?", id, s.applied());
            tx.execute("delete from holdfast_draft_operation where draft_id = ? and seq > ?", id, s.applied());
        }
        int seq = s.applied();
        List<Object[]> values = new ArrayList<>();
        for (Operation op : ops) {
            seq++;
            tx.execute("insert into holdfast_draft_operation (draft_id, seq, kind, record_class, table_name, row_id, "
                    + "base_version) values (?, ?, ?, ?, ?, ?, ?)", id, seq, op.kind().name(), op.recordClass(),
                    op.table(), op.rowId(), op.baseVersion());
            for (Operation.Entry e : op.entries()) {
                values.add(new Object[] {id, seq, e.column(), e.oldValue(), e.newValue()});
            }
        }
        if (!values.isEmpty()) {
            tx.executeBatch("insert into holdfast_draft_value (draft_id, seq, column_name, old_value, new_value) "
                    + "values (?, ?, ?, ?, ?)", values);
        }
        move(tx, id, seq, seq, now);
    }

    /** Sets how many operations are applied (undo, redo) and how many are stored, and bumps the revision. */
    void move(Transaction tx, String id, int applied, int recorded, long now) {
        tx.execute("update holdfast_draft set applied = ?, recorded = ?, revision = revision + 1, touched_at = ? "
                + "where id = ?", applied, recorded, now, id);
    }

    /** Marks the draft committed or cancelled and deletes its operations; the row stays as a marker until expiry. */
    void close(Transaction tx, String id, String state, long now) {
        tx.execute("delete from holdfast_draft_value where draft_id = ?", id);
        tx.execute("delete from holdfast_draft_operation where draft_id = ?", id);
        tx.execute("update holdfast_draft set state = ?, applied = 0, recorded = 0, revision = revision + 1, "
                + "touched_at = ? where id = ?", state, now, id);
    }

    List<String> openIds(Transaction tx, String owner) {
        return tx.query(rs -> rs.getString(1),
                "select id from holdfast_draft where owner = ? and state = ? order by created_at, id", owner, OPEN);
    }

    /** Deletes every draft untouched since {@code cutoff}, open or closed, with its operations; how many. */
    int expire(Transaction tx, long cutoff) {
        int n = 0;
        for (String id : tx.query(rs -> rs.getString(1), "select id from holdfast_draft where touched_at < ?",
                cutoff)) {
            // The draft row goes first, under the same lock every operation takes: an operation waiting for it then
            // finds no draft, instead of writing operations for a draft that is being deleted.
            if (tx.execute("delete from holdfast_draft where id = ? and touched_at < ?", id, cutoff) == 1) {
                tx.execute("delete from holdfast_draft_value where draft_id = ?", id);
                tx.execute("delete from holdfast_draft_operation where draft_id = ?", id);
                n++;
            }
        }
        return n;
    }
}
