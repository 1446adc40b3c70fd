package dev.holdfast.draft;

import dev.holdfast.Transaction;
import dev.holdfast.TransactionConsumer;
import dev.holdfast.error.NotFoundException;
import dev.holdfast.internal.record.RecordColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One edit session: changes to records, recorded in the database and applied to the real rows only by
 * {@link #commit()}. Get one from {@link Drafts#open} or {@link Drafts#resume}; every method is one short transaction
 * of its own, so a handle can be kept for a request, dropped, and the draft resumed later anywhere.
 *
 * <pre>{@code
 * Draft draft = drafts.open("alice");
 * draft.modify(Product.class, 7L, p -> p.withPrice(new BigDecimal("9.90")));   // only price is recorded
 * Product preview = draft.get(Product.class, 7L);   // the row as it will be after commit
 * draft.undo();
 * draft.redo();
 * try {
 *     draft.commit();
 * } catch (DraftConflictException e) {
 *     draft.rebase(e.conflicts(), c -> Side.MINE);   // or ask the user, column by column
 *     draft.commit();
 * }
 * }</pre>
 *
 * <p>Several handles on one draft (two browser tabs) are fine: their operations are recorded one after the other.
 * An undo, redo or new change that would undo or discard something this handle has not seen yet throws
 * {@link DraftChangedException} instead; {@link #refresh()} and decide again.
 */
public final class Draft {
    private final Drafts drafts;
    private final String id;
    private final String owner;
    private volatile long seen;   // the draft's revision when this handle last read or changed it

    Draft(Drafts drafts, String id, String owner, long revision) {
        this.drafts = drafts;
        this.id = id;
        this.owner = owner;
        this.seen = revision;
    }

    /** The draft's id: keep it (in the user's session, a URL) to {@link Drafts#resume} the draft later. */
    public String id() {
        return id;
    }

    /** Whose draft this is, as given to {@link Drafts#open}. */
    public String owner() {
        return owner;
    }

    // ------------------------------------------------------------------------------------------------- recording

    /**
     * Records a change to a row: {@code change} gets the row as the draft shows it ({@link #get}) and returns the new
     * one; the columns it changed are recorded with the values they had (the base of the merge at commit). Nothing is
     * written to the row itself. {@code change} may run more than once (the recording transaction is retried on a
     * conflict), so keep it free of side effects.
     *
     * <pre>{@code Product p = draft.modify(Product.class, 7L, p -> p.withPrice(price));}</pre>
     *
     * @return the row as the draft now shows it
     * @throws NotFoundException when the draft shows no such row
     */
    public <T> T modify(Class<T> type, Object id, UnaryOperator<T> change) {
        RecordColumns<T> cols = RecordColumns.of(type);
        String table = cols.table("draft.modify(" + type.getSimpleName() + ".class, id, change)");
        Object key = key(cols, id, "modify");
        return record((tx, s) -> {
            Row<T> row = row(tx, s, cols, table, key);
            if (row.view == null) {
                throw new NotFoundException("The draft shows no " + cols.describe(key) + " (it does not exist, or "
                        + "the draft deletes it); nothing was recorded");
            }
            T before = cols.construct(row.view);
            T after = change.apply(before);
            if (after == null) {
                throw new IllegalArgumentException("draft.modify(" + type.getSimpleName() + ".class, " + key
                        + ", change): change returned null; to delete the row use draft.delete(...)");
            }
            Object[] now = cols.values(after);
            if (!ValueText.same(now[cols.idIndex()], row.view[cols.idIndex()])) {
                throw new IllegalArgumentException("draft.modify(" + type.getSimpleName() + ".class, " + key
                        + ", change) changed the @Id to " + now[cols.idIndex()] + "; a draft cannot move a row. "
                        + "Delete it and insert the new one");
            }
            List<Operation.Entry> entries = new ArrayList<>();
            for (int i = 0; i < now.length; i++) {
                if (i != cols.versionIndex() && !ValueText.same(now[i], row.view[i])) {
                    entries.add(new Operation.Entry(cols.columns().get(i), ValueText.encode(row.view[i]),
                            ValueText.encode(now[i])));
                }
            }
            List<Operation> ops = entries.isEmpty() ? List.of()
                    : List.of(new Operation(0, Operation.Kind.MODIFY, type.getName(), table, ValueText.encode(key),
                    version(cols, row.committed), entries));
            return new Recorded<>(after, ops);
        });
    }

    /**
     * Records a new row. Its {@code @Id} must be set (a key the database generates exists only after commit: use a
     * UUID, or take a value from a sequence). At commit, a row that someone else inserted with the same key
     * meanwhile is a conflict ({@link DraftConflict.Reason#ROW_EXISTS}).
     *
     * <pre>{@code draft.insert(new Product(8L, "lamp", new BigDecimal("25.00"), 0));}</pre>
     *
     * @return the record as recorded
     */
    public <T> T insert(T record) {
        RecordColumns<T> cols = RecordColumns.ofInstance(record);
        Class<T> type = cols.type();
        String table = cols.table("draft.insert(" + type.getSimpleName() + ")");
        Object[] values = cols.values(record);
        if (values[cols.idIndex()] == null) {
            throw new IllegalArgumentException("draft.insert(" + type.getSimpleName() + ") needs the @Id set: a key "
                    + "the database generates exists only after commit, and the draft must name the row before. "
                    + "Use a UUID or a value from a sequence");
        }
        Object key = key(cols, values[cols.idIndex()], "insert");
        return record((tx, s) -> {
            Row<T> row = row(tx, s, cols, table, key);
            if (row.view != null) {
                throw new IllegalArgumentException("The draft already shows " + cols.describe(key) + "; draft.insert "
                        + "needs a new key. Change the existing row with draft.modify(...)");
            }
            List<Operation.Entry> entries = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                entries.add(new Operation.Entry(cols.columns().get(i), null, ValueText.encode(values[i])));
            }
            return new Recorded<>(record, List.of(new Operation(0, Operation.Kind.INSERT, type.getName(), table,
                    ValueText.encode(key), null, entries)));
        });
    }

    /**
     * Records the deletion of a row. At commit, a row that someone else changed meanwhile is a conflict
     * ({@link DraftConflict.Reason#ROW_CHANGED}): deleting it would throw their change away unseen.
     *
     * @return false when the draft shows no such row (nothing is recorded)
     */
    public <T> boolean delete(Class<T> type, Object id) {
        RecordColumns<T> cols = RecordColumns.of(type);
        String table = cols.table("draft.delete(" + type.getSimpleName() + ".class, id)");
        Object key = key(cols, id, "delete");
        return record((tx, s) -> {
            Row<T> row = row(tx, s, cols, table, key);
            if (row.view == null) {
                return new Recorded<>(false, List.of());
            }
            List<Operation.Entry> entries = new ArrayList<>();
            Long baseVersion = null;
            if (row.change == null || row.change.inserted == null) {
                // The base of the conflict check: the row as committed, but for columns the draft changed, the value
                // it started from.
                for (int i = 0; i < row.committed.length; i++) {
                    Object base = row.change != null && row.change.base.containsKey(i) ? row.change.base.get(i)
                            : row.committed[i];
                    entries.add(new Operation.Entry(cols.columns().get(i), ValueText.encode(base), null));
                }
                baseVersion = row.change != null && row.change.baseVersion != null ? row.change.baseVersion
                        : version(cols, row.committed);
            }
            return new Recorded<>(true, List.of(new Operation(0, Operation.Kind.DELETE, type.getName(), table,
                    ValueText.encode(key), baseVersion, entries)));
        });
    }

    // ------------------------------------------------------------------------------------------------- reading

    /**
     * The row as it will be after commit: the committed row with the draft's changes applied, a row the draft
     * inserts, or empty for a row the draft deletes (or that does not exist). Columns the draft did not change show
     * what is committed now, so the preview includes changes others committed meanwhile.
     */
    public <T> Optional<T> find(Class<T> type, Object id) {
        RecordColumns<T> cols = RecordColumns.of(type);
        String table = cols.table("draft.find(" + type.getSimpleName() + ".class, id)");
        Object key = key(cols, id, "find");
        return drafts.db.read(tx -> {
            DraftTables.State s = drafts.tables().read(tx, this.id).orElse(null);
            if (s == null || !s.state().equals(DraftTables.OPEN)) {
                throw new DraftClosedException("Draft " + this.id + " is no longer open (committed, cancelled or "
                        + "expired); read the committed rows with db.find(...)");
            }
            Row<T> row = row(tx, s, cols, table, key);
            return Optional.ofNullable(row.view == null ? null : cols.construct(row.view));
        });
    }

    /** {@link #find} for a row that must be there; {@link NotFoundException} otherwise. */
    public <T> T get(Class<T> type, Object id) {
        return find(type, id).orElseThrow(() -> new NotFoundException("The draft shows no "
                + RecordColumns.of(type).describe(id) + ": it does not exist, or the draft deletes it"));
    }

    /** How many operations are applied (undo lowers it, redo raises it); 0 for a new draft. */
    public int operations() {
        return drafts.db.read(tx -> drafts.tables().read(tx, id).map(DraftTables.State::applied).orElse(0));
    }

    /** Catches this handle up with changes made through other handles (another tab), so undo and redo can go on. */
    public void refresh() {
        seen = drafts.db.read(tx -> drafts.tables().read(tx, id)).map(DraftTables.State::revision).orElse(seen);
    }

    // ------------------------------------------------------------------------------------------------- undo, redo

    /**
     * Undoes the last applied operation; it stays stored, for {@link #redo()}, until a new change replaces it.
     *
     * @return false when there was nothing to undo
     * @throws DraftChangedException when another handle changed the draft since this one last saw it
     */
    public boolean undo() {
        return step(-1);
    }

    /**
     * Applies again the operation undone last.
     *
     * @return false when there was nothing to redo
     * @throws DraftChangedException when another handle changed the draft since this one last saw it
     */
    public boolean redo() {
        return step(+1);
    }

    private boolean step(int direction) {
        long[] revision = {seen};
        boolean moved = drafts.db.transact(tx -> {
            DraftTables.State s = drafts.tables().lockOpen(tx, id);
            if (s.revision() != seen) {
                throw changed(s, direction < 0 ? "undo" : "redo");
            }
            int applied = s.applied() + direction;
            if (applied < 0 || applied > s.recorded()) {
                return false;
            }
            drafts.tables().move(tx, id, applied, s.recorded(), drafts.clock.millis());
            revision[0] = s.revision() + 1;
            return true;
        });
        seen = revision[0];
        return moved;
    }

    // ------------------------------------------------------------------------------------------------- commit

    /**
     * Applies every operation to the real rows in one short transaction, merging column by column: a column only
     * the draft changed is written, a column only someone else changed keeps their value, and a column both changed
     * to different values is a conflict. With any conflict nothing is written and the draft stays open.
     *
     * @throws DraftConflictException listing every conflict (table, id, column, base, mine, theirs)
     * @throws DraftClosedException   when the draft was already committed (by another tab), cancelled or expired
     */
    public void commit() {
        commit(tx -> {
        });
    }

    /**
     * {@link #commit()}, running {@code alsoInCommit} in the same transaction after the draft's writes: more
     * statements that must commit with the draft, and {@link Transaction#afterCommit} actions.
     *
     * <pre>{@code draft.commit(tx -> tx.afterCommit(() -> mailer.send("saved")));}</pre>
     */
    public <X extends Exception> void commit(TransactionConsumer<X> alsoInCommit) throws X {
        drafts.db.useTransaction(tx -> {
            DraftCommit.run(tx, drafts, id);
            alsoInCommit.accept(tx);
        });
    }

    /**
     * Resolves conflicts reported by a failed {@link #commit()}, one {@link Side} per conflict, as operations of the
     * draft (so they can be undone): {@link Side#MINE} keeps the draft's value (the next commit writes it over
     * theirs), {@link Side#THEIRS} drops the draft's change (for a deleted or existing row: every change the draft
     * holds for that row). Commit again afterwards; new conflicts, if others wrote again meanwhile, are reported the
     * same way.
     *
     * <pre>{@code draft.rebase(e.conflicts(), c -> c.column().equals("price") ? Side.THEIRS : Side.MINE);}</pre>
     *
     * @throws IllegalArgumentException for {@link Side#MINE} on a row someone deleted or inserted first: insert it
     *                                  again, or use another key
     */
    public void rebase(List<DraftConflict> conflicts, Function<DraftConflict, Side> choice) {
        Map<String, List<DraftConflict>> byRow = new LinkedHashMap<>();
        Map<String, Side> forget = new LinkedHashMap<>();
        for (DraftConflict c : conflicts) {
            String key = c.table() + '\u0001' + ValueText.encode(c.id());
            Side side = choice.apply(c);
            if (side == Side.MINE && (c.reason() == DraftConflict.Reason.ROW_DELETED
                    || c.reason() == DraftConflict.Reason.ROW_EXISTS)) {
                throw new IllegalArgumentException("Cannot keep mine for " + c + ": " + (c.reason()
                        == DraftConflict.Reason.ROW_DELETED ? "the row was deleted; insert it again with draft.insert(...)"
                        : "another row has this key; insert under another key") + ". Nothing was rebased");
            }
            if (side == Side.THEIRS && c.reason() != DraftConflict.Reason.COLUMN_CHANGED) {
                forget.put(key, side);
            }
            byRow.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        List<Operation> ops = new ArrayList<>();
        byRow.forEach((key, list) -> {
            DraftConflict first = list.get(0);
            String rowId = ValueText.encode(first.id());
            if (forget.containsKey(key)) {
                ops.add(new Operation(0, Operation.Kind.FORGET, first.type().getName(), first.table(), rowId, null,
                        List.of()));
                return;
            }
            List<Operation.Entry> entries = new ArrayList<>();
            for (DraftConflict c : list) {
                Object kept = choice.apply(c) == Side.MINE ? c.mine() : c.theirs();
                entries.add(new Operation.Entry(c.column(), ValueText.encode(c.theirs()), ValueText.encode(kept)));
            }
            ops.add(new Operation(0, Operation.Kind.REBASE, first.type().getName(), first.table(), rowId, null,
                    entries));
        });
        record((tx, s) -> new Recorded<>(null, ops));
    }

    /** Discards the draft and its operations; the real rows were never touched. Cancelling twice is harmless. */
    public void cancel() {
        drafts.db.useTransaction(tx -> {
            if (drafts.tables().read(tx, id).map(s -> s.state().equals(DraftTables.OPEN)).orElse(false)) {
                drafts.tables().lockOpen(tx, id);
                drafts.tables().close(tx, id, DraftTables.CANCELLED, drafts.clock.millis());
            }
        });
    }

    @Override
    public String toString() {
        return "Draft[" + id + " of " + owner + "]";
    }

    // ------------------------------------------------------------------------------------------------- internals

    private record Recorded<R>(R result, List<Operation> ops) {
    }

    @FunctionalInterface
    private interface Recording<R> {
        Recorded<R> apply(Transaction tx, DraftTables.State state);
    }

    /** The row as committed, the draft's change of it (or null) and the row as the draft shows it (or null). */
    private record Row<T>(Object[] committed, RowChange change, Object[] view) {
    }

    /** Runs a recording in one transaction holding the draft's lock, and stores its operations. */
    private <R> R record(Recording<R> body) {
        long[] revision = {seen};
        R result = drafts.db.transact(tx -> {
            DraftTables.State s = drafts.tables().lockOpen(tx, id);
            Recorded<R> r = body.apply(tx, s);
            if (r.ops().isEmpty()) {
                return r.result();
            }
            if (s.recorded() > s.applied() && s.revision() != seen) {
                throw changed(s, "a new change (which discards the undone operations)");
            }
            drafts.tables().append(tx, id, s, r.ops(), drafts.clock.millis());
            revision[0] = s.revision() == seen ? s.revision() + 1 : revision[0];
            return r.result();
        });
        seen = revision[0];
        return result;
    }

    private <T> Row<T> row(Transaction tx, DraftTables.State s, RecordColumns<T> cols, String table, Object key) {
        String rowId = ValueText.encode(key);
        Map<String, RowChange> rows = drafts.fold(drafts.tables().operations(tx, id, s.applied(), table, rowId));
        RowChange change = rows.isEmpty() ? null : rows.values().iterator().next();
        Object[] committed = tx.find(cols.type(), key).map(cols::values).orElse(null);
        Object[] view = change == null ? committed : change.view(committed);
        return new Row<>(committed, change, view);
    }

    private static Object key(RecordColumns<?> cols, Object id, String what) {
        if (id == null) {
            throw new IllegalArgumentException("draft." + what + "(" + cols.type().getSimpleName()
                    + ") needs an id, got null");
        }
        // The same key whatever its boxed type (7 or 7L): it is stored as text and read back as the @Id's type.
        return ValueText.decode(ValueText.encode(id), cols.idType());
    }

    private static Long version(RecordColumns<?> cols, Object[] committed) {
        int v = cols.versionIndex();
        return v < 0 || committed == null || committed[v] == null ? null : ((Number) committed[v]).longValue();
    }

    private DraftChangedException changed(DraftTables.State s, String what) {
        return new DraftChangedException("Draft " + id + " was changed through another handle (another request or "
                + "tab) since this one last saw it (revision " + seen + ", now " + s.revision() + "); " + what
                + " was not done, so nothing the other handle did is lost. Call draft.refresh(), look at the draft "
                + "again, and repeat it if it still makes sense");
    }
}
