package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.Catalogue;
import dev.holdfast.testkit.detect.Finding;
import dev.holdfast.testkit.detect.Finding.Kind;
import dev.holdfast.testkit.detect.RecordedStatement;
import dev.holdfast.testkit.detect.RecordedTransaction;
import dev.holdfast.testkit.detect.Report;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysis: SQL facts per statement, then the four kinds of findings. Transactions are grouped by session (the
 * thread that ran them), because a read in one transaction and a write in the next — two autocommit statements — is
 * the most common lost update of all and no isolation level sees it.
 */
public final class Analyzer {
    /** How many earlier transactions of a session a read may be in and still count for a later write. */
    static final int WINDOW = 4;
    /** Column names taken for a version column: a write need not store them to be a whole-row save. */
    static final Set<String> VERSION_NAMES = Set.of("version", "lock_version", "row_version", "optlock", "revision",
            "updated_at", "modified_at", "last_modified");

    private final Catalogue catalogue;
    private final List<String> unparsed = new ArrayList<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();

    private Analyzer(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    public static Report analyse(List<RecordedTransaction> recorded, Catalogue catalogue) {
        Analyzer a = new Analyzer(catalogue);
        Map<String, List<Tx>> sessions = new LinkedHashMap<>();
        for (RecordedTransaction t : recorded) {
            sessions.computeIfAbsent(sessionKey(t.session()), k -> new ArrayList<>()).add(a.tx(t));
        }
        for (List<Tx> session : sessions.values()) {
            for (int i = 0; i < session.size(); i++) {
                a.lostUpdates(session, i);
                a.checkThenInsert(session, i);
                a.writeSkew(session.get(i));
                a.staleSnapshot(session.get(i));
            }
        }
        return new Report(new ArrayList<>(a.findings.values()), a.unparsed, recorded.size());
    }

    /** The thread a session ran on: {@code connection-3 (main)} and {@code thread main} are both {@code main}. */
    static String sessionKey(String session) {
        int open = session.lastIndexOf('(');
        if (open >= 0 && session.endsWith(")")) {
            return session.substring(open + 1, session.length() - 1);
        }
        return session.startsWith("thread ") ? session.substring(7) : session;
    }

    /** A transaction with its statements' facts. */
    record Tx(RecordedTransaction t, DatabaseKind db, String isolation, List<Stmt> statements) {
    }

    /** A statement with its facts (null when it could not be parsed) and the rows it names by key. */
    record Stmt(RecordedStatement s, SqlFacts f, int index, Set<String> rows) {
    }

    private Tx tx(RecordedTransaction t) {
        DatabaseKind db = t.database() != null ? t.database() : catalogue.kind();
        String iso = t.isolation() != null ? t.isolation() : db == DatabaseKind.SQLITE ? "SERIALIZABLE" : "READ COMMITTED";
        List<Stmt> out = new ArrayList<>();
        for (RecordedStatement s : t.statements()) {
            SqlFacts f;
            try {
                f = SqlAnalysis.analyse(s.sql(), s.parameters());
            } catch (SqlAnalysis.Unparsed e) {
                if (!unparsed.contains(s.sql())) {
                    unparsed.add(s.sql());
                }
                f = null;
            }
            out.add(new Stmt(s, f, out.size(), rows(f)));
        }
        return new Tx(t, db, iso, out);
    }

    // ------------------------------------------------------------------------------------------------ row identity

    /** The rows a statement names by key ({@code table|col=value,...}), or empty when it names rows by predicate. */
    Set<String> rows(SqlFacts f) {
        if (f == null || f.table() == null || f.keys().isEmpty()) {
            return Set.of();
        }
        List<String> key = identity(f.table(), f.keys().keySet());
        if (key == null) {
            return Set.of();
        }
        Set<String> rows = new TreeSet<>();
        rows.add(f.table() + "|");
        for (String col : key) {
            Set<String> next = new TreeSet<>();
            for (String prefix : rows) {
                for (String v : f.keys().get(col)) {
                    next.add(prefix + col + "=" + v + ",");
                }
            }
            rows = next;
        }
        return rows;
    }

    /** The columns that identify a row among {@code equalities}: a unique key of the catalogue, else {@code id}. */
    List<String> identity(String table, Set<String> equalities) {
        Optional<List<Set<String>>> known = catalogue.uniqueKeys(table);
        if (known.isPresent() && !known.get().isEmpty()) {
            List<String> best = null;
            for (Set<String> key : known.get()) {
                if (equalities.containsAll(key) && (best == null || key.size() < best.size())) {
                    best = new ArrayList<>(new TreeSet<>(key));
                }
            }
            return best;
        }
        if (equalities.contains("id")) {
            return List.of("id");
        }
        return known.isPresent() ? null : new ArrayList<>(new TreeSet<>(equalities));
    }

    private static boolean locked(SqlFacts f) {
        return f.lock() != SqlFacts.Lock.NONE;
    }

    // ------------------------------------------------------------------------------------------------ lost update

    private void lostUpdates(List<Tx> session, int txIndex) {
        Tx tx = session.get(txIndex);
        for (Stmt w : tx.statements()) {
            SqlFacts wf = w.f();
            if (wf == null || wf.type() != SqlFacts.Type.UPDATE || wf.absoluteSets().isEmpty()) {
                continue;
            }
            Set<String> rows = w.rows();
            if (rows.isEmpty() || !wf.versionColumns().isEmpty() || !wf.guards().isEmpty()) {
                continue;   // a predicate update, or guarded by a version / compare-and-set predicate
            }
            List<String> key = identity(wf.table(), wf.keys().keySet());
            Set<String> extraEqualities = new HashSet<>(wf.keys().keySet());
            extraEqualities.removeAll(key);
            if (!extraEqualities.isEmpty()) {
                continue;   // WHERE id = ? AND state = ?: a compare-and-set
            }
            // the latest read of the row before the write, and writes of it in between
            Stmt read = null;
            Tx readTx = null;
            boolean overwroteOwn = false;
            List<RecordedStatement> between = new ArrayList<>();
            search:
            for (int ti = txIndex; ti >= Math.max(0, txIndex - WINDOW); ti--) {
                Tx t = session.get(ti);
                int from = ti == txIndex ? w.index() - 1 : t.statements().size() - 1;
                for (int si = from; si >= 0; si--) {
                    Stmt s = t.statements().get(si);
                    SqlFacts f = s.f();
                    if (f == null || f.table() == null || !f.table().equals(wf.table())) {
                        continue;
                    }
                    if (!intersects(s.rows(), rows)) {
                        continue;
                    }
                    if (f.isRead() && !f.aggregate() && !f.guards().contains("(join)")) {
                        read = s;
                        readTx = t;
                        break search;
                    }
                    if (f.type() == SqlFacts.Type.UPDATE && t == tx && intersects(f.absoluteSets(), wf.absoluteSets())) {
                        overwroteOwn = true;
                        between.add(0, s.s());
                    } else if (f.type() == SqlFacts.Type.UPDATE || f.type() == SqlFacts.Type.INSERT) {
                        break search;   // the row was written since: the write is not based on an older read
                    }
                }
            }
            if (read == null) {
                continue;
            }
            boolean sameTx = readTx == tx;
            if (sameTx && locked(read.f()) && !overwroteOwn) {
                continue;
            }
            Set<String> required = new LinkedHashSet<>();
            if (read.f().columns() != null) {
                required.addAll(read.f().columns());
                required.removeAll(key);
                required.removeAll(VERSION_NAMES);
                if (required.isEmpty() || !wf.absoluteSets().containsAll(required)) {
                    continue;   // the write stores only some of what was read: not a write-back of the row
                }
            }
            List<RecordedStatement> shown = new ArrayList<>();
            shown.add(read.s());
            shown.addAll(between);
            shown.add(w.s());
            String row = rows.iterator().next();
            String what = "the row " + row.replace("|", " ").replaceAll(",$", "") + " was read ("
                    + read.s().sql() + ") and then written back with values computed in the application ("
                    + w.s().sql() + "), with no lock on the read, no version predicate and no compare-and-set";
            String reason;
            if (overwroteOwn) {
                reason = what + ", and the transaction had already written the row since that read: the second write "
                        + "overwrites the first one's columns with values read before it, on every database and at "
                        + "every isolation level (two copies of one row)";
            } else if (!sameTx) {
                reason = what + ". The read and the write are in different transactions (the read's transaction "
                        + "ended before the write's began), so no isolation level protects them: a concurrent write "
                        + "between them is overwritten, on " + tx.db() + " as on every database";
            } else {
                String why = sameTxLoses(tx.db(), tx.isolation());
                if (why == null) {
                    continue;
                }
                reason = what + ". " + why;
            }
            add(Kind.LOST_UPDATE, reason, tx, shown, Set.of(wf.table()));
        }
    }

    /** Why a read and a write of one row in one transaction lose an update here, or null when they do not. */
    static String sameTxLoses(DatabaseKind db, String iso) {
        if (db == DatabaseKind.SQLITE) {
            return null;   // SQLite runs write transactions one at a time; a reader's upgrade fails with SQLITE_BUSY
        }
        if (iso.equals("READ COMMITTED") || iso.equals("READ UNCOMMITTED")) {
            return "At " + iso + " on " + db + " a concurrent transaction can change the row between the read and "
                    + "the write, and the write then overwrites that change";
        }
        if (iso.equals("REPEATABLE READ") && db == DatabaseKind.MARIADB) {
            return "At REPEATABLE READ on MariaDB/MySQL the read comes from the transaction's snapshot but the write "
                    + "applies to the latest committed row, without a serialization error (unlike PostgreSQL), so a "
                    + "concurrent change in between is overwritten";
        }
        return null;   // PostgreSQL REPEATABLE READ / SERIALIZABLE abort the second writer; MariaDB SERIALIZABLE locks
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ check-then-insert

    private void checkThenInsert(List<Tx> session, int txIndex) {
        Tx tx = session.get(txIndex);
        for (Stmt ins : tx.statements()) {
            SqlFacts inf = ins.f();
            if (inf == null || inf.type() != SqlFacts.Type.INSERT || inf.inserted().isEmpty()
                    || ins.s().sql().toUpperCase(java.util.Locale.ROOT).contains("ON CONFLICT")
                    || ins.s().sql().toUpperCase(java.util.Locale.ROOT).contains("ON DUPLICATE KEY")) {
                continue;
            }
            search:
            for (int ti = txIndex; ti >= Math.max(0, txIndex - WINDOW); ti--) {
                Tx t = session.get(ti);
                int from = ti == txIndex ? ins.index() - 1 : t.statements().size() - 1;
                for (int si = from; si >= 0; si--) {
                    Stmt s = t.statements().get(si);
                    SqlFacts f = s.f();
                    if (f == null || !f.isRead() || f.table() == null || !f.table().equals(inf.table())
                            || f.keys().isEmpty() || !f.guards().isEmpty() || (f.aggregate()
                            && !s.s().sql().toUpperCase(java.util.Locale.ROOT).matches("(?s).*\\bCOUNT\\s*\\(.*"))) {
                        continue;   // a sum or an average is no existence check
                    }
                    boolean matches = true;
                    for (Map.Entry<String, List<String>> k : f.keys().entrySet()) {
                        String v = inf.inserted().get(k.getKey());
                        if (v == null || !k.getValue().contains(v)) {
                            matches = false;
                            break;
                        }
                    }
                    if (!matches) {
                        continue;
                    }
                    Optional<List<Set<String>>> keys = catalogue.uniqueKeys(inf.table());
                    if (keys.isPresent() && keys.get().stream().anyMatch(u -> f.keys().keySet().containsAll(u))) {
                        break search;   // a unique constraint stops the second insert
                    }
                    boolean sameTx = t == tx;
                    String where;
                    if (sameTx) {
                        if (tx.db() == DatabaseKind.SQLITE || tx.isolation().equals("SERIALIZABLE")
                                || (tx.db() == DatabaseKind.MARIADB && locked(f)
                                && tx.isolation().equals("REPEATABLE READ"))) {
                            break search;
                        }
                        where = "At " + tx.isolation() + " on " + tx.db() + " two transactions can both find no row "
                                + "and both insert one";
                    } else {
                        where = "The check and the insert are in different transactions, so on every database two "
                                + "callers can both find no row and both insert one";
                    }
                    String constraint = keys.isPresent()
                            ? "no unique constraint of " + inf.table() + " covers " + f.keys().keySet()
                            + " (its unique keys: " + keys.get() + ")"
                            : "the catalogue does not know " + inf.table() + ", so no unique constraint on "
                            + f.keys().keySet() + " could be found";
                    add(Kind.CHECK_THEN_INSERT, "a check (" + s.s().sql() + ") was followed by an insert of the "
                            + "checked values (" + ins.s().sql() + ") and " + constraint + ". " + where + ": a "
                            + "duplicate", tx, List.of(s.s(), ins.s()), Set.of(inf.table()));
                    break search;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ write skew

    private void writeSkew(Tx tx) {
        if (tx.db() == DatabaseKind.SQLITE || tx.isolation().equals("SERIALIZABLE")) {
            return;   // SQLite serialises writers; PostgreSQL SERIALIZABLE detects the skew, MariaDB's locks it
        }
        boolean lockedBefore = false;
        List<Stmt> st = tx.statements();
        for (int i = 0; i < st.size(); i++) {
            SqlFacts p = st.get(i).f();
            if (p == null) {
                continue;
            }
            if (p.takesLock()) {
                lockedBefore = true;
                continue;
            }
            if (lockedBefore || !p.isRead() || p.table() == null) {
                continue;
            }
            boolean predicate = p.aggregate() || (rows(p).isEmpty() && p.hasWhere());
            if (!predicate) {
                continue;
            }
            for (int j = i + 1; j < st.size(); j++) {
                SqlFacts w = st.get(j).f();
                if (w == null || !w.isWrite()) {
                    continue;
                }
                if (w.type() == SqlFacts.Type.INSERT && w.table().equals(p.table()) && !p.aggregate()) {
                    continue;   // a check followed by an insert: CHECK_THEN_INSERT's business
                }
                if (w.type() == SqlFacts.Type.UPDATE && w.absoluteSets().isEmpty()) {
                    continue;   // n = n + ?: relative to the row
                }
                String note = tx.isolation().equals("REPEATABLE READ")
                        ? "Under snapshot isolation (" + tx.db() + " REPEATABLE READ) each transaction reads its "
                        + "snapshot and writes rows the other did not write, so neither is stopped"
                        : "At " + tx.isolation() + " on " + tx.db() + " nothing stops two transactions from reading "
                        + "the same predicate and each writing on the strength of it";
                add(Kind.WRITE_SKEW, "a " + (p.aggregate() ? "aggregate" : "predicate") + " read (" + st.get(i).s().sql()
                        + ") decided a write to other rows (" + st.get(j).s().sql() + "), with no lock taken before "
                        + "the read. " + note + ": the invariant the read checked can break. Lock a parent row "
                        + "(FOR UPDATE), use SERIALIZABLE, or keep the derived value with an atomic update",
                        tx, List.of(st.get(i).s(), st.get(j).s()), new TreeSet<>(List.of(p.table(), w.table())));
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ stale snapshot

    private void staleSnapshot(Tx tx) {
        if (!tx.isolation().equals("REPEATABLE READ") || tx.db() == DatabaseKind.SQLITE) {
            return;
        }
        List<Stmt> st = tx.statements();
        boolean consistentReadBefore = false;
        for (int i = 0; i < st.size(); i++) {
            SqlFacts l = st.get(i).f();
            if (l == null) {
                continue;
            }
            if (!l.takesLock()) {
                if (l.isRead() && l.table() != null) {
                    consistentReadBefore = true;
                }
                continue;
            }
            boolean snapshotFixed = tx.db() == DatabaseKind.POSTGRES || consistentReadBefore;
            if (!snapshotFixed) {
                return;   // MariaDB takes the snapshot at the first consistent read, after this lock
            }
            Set<String> lockedRows = l.type() == SqlFacts.Type.SELECT ? rows(l) : Set.of();
            for (int j = i + 1; j < st.size(); j++) {
                SqlFacts r = st.get(j).f();
                if (r == null || !r.isRead() || locked(r) || r.table() == null) {
                    continue;
                }
                if (!lockedRows.isEmpty() && lockedRows.containsAll(rows(r)) && !rows(r).isEmpty()) {
                    continue;   // re-reading the locked row: PostgreSQL fails the lock if it changed
                }
                String when = tx.db() == DatabaseKind.POSTGRES
                        ? "PostgreSQL fixes a REPEATABLE READ transaction's snapshot at its first statement"
                        : "MariaDB fixes a REPEATABLE READ transaction's snapshot at its first consistent read, which "
                        + "came before the lock";
                add(Kind.STALE_SNAPSHOT, "a REPEATABLE READ transaction took a lock (" + st.get(i).s().sql()
                        + ") and read afterwards (" + st.get(j).s().sql() + "). " + when + ", so the read cannot "
                        + "see what the transaction it waited for committed: it acts on data older than its lock. "
                        + "Run it at READ COMMITTED, or read with FOR UPDATE/FOR SHARE",
                        tx, List.of(st.get(i).s(), st.get(j).s()), Set.of(r.table()));
                return;
            }
            return;
        }
    }

    // ------------------------------------------------------------------------------------------------ findings

    private void add(Kind kind, String reason, Tx tx, List<RecordedStatement> statements, Set<String> tables) {
        StringBuilder key = new StringBuilder(kind + "|" + tx.db() + "|" + tx.isolation());
        for (RecordedStatement s : statements) {
            key.append('|').append(s.sql());
        }
        Finding old = findings.get(key.toString());
        if (old != null) {
            findings.put(key.toString(), new Finding(kind, old.status(), old.reason(), old.transaction(),
                    old.statements(), old.database(), old.isolation(), old.tables(), old.occurrences() + 1, null));
            return;
        }
        findings.put(key.toString(), new Finding(kind, Finding.Status.SUSPECTED, reason, tx.t(), statements, tx.db(),
                tx.isolation(), tables, 1, null));
    }
}
