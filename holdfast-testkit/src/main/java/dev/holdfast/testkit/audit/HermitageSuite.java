package dev.holdfast.testkit.audit;

import static dev.holdfast.testkit.audit.Judgement.anomaly;
import static dev.holdfast.testkit.audit.Judgement.prevented;

import java.util.List;
import java.util.Map;

/**
 * The Hermitage tests (Martin Kleppmann, https://github.com/ept/hermitage, CC BY 4.0) as scripts and judges. The
 * statements and their order are Hermitage's; where its PostgreSQL and MySQL scripts differ, the one that shows the
 * anomaly on both is used (noted per test). A judge decides from what was read, changed and committed; how the anomaly
 * was prevented (a wait, an abort, or nothing visible) is read from the trace by the audit.
 */
final class HermitageSuite {
    private HermitageSuite() {
    }

    static final ScriptedTest G0 = ScriptedTest.of(
            new Anomaly("G0", "G0", "Write cycles (dirty writes)",
                    "T1 and T2 both write rows 1 and 2; the anomaly is a final state mixing their writes."),
            """
            T1: update test set value = 11 where id = 1
            T2: update test set value = 12 where id = 1
            T1: update test set value = 21 where id = 2
            T1: commit
            T1: select * from test
            T2: update test set value = 22 where id = 2
            T2: commit
            """,
            o -> {
                Map<Integer, Integer> f = o.finalState();
                String state = "final state " + Observation.show(f);
                boolean mixed = (is(f, 1, 12) && is(f, 2, 21)) || (is(f, 1, 11) && is(f, 2, 22));
                return mixed ? anomaly(state + ": one row holds T1's write, the other T2's")
                        : prevented(state + ": the writes were not interleaved");
            });

    static final ScriptedTest G1A = ScriptedTest.of(
            new Anomaly("G1a", "G1a", "Aborted reads (dirty reads)",
                    "T2 reads while T1 has written 101 and not committed, then T1 rolls back; the anomaly is T2 reading 101."),
            """
            T1: update test set value = 101 where id = 1
            T2: select * from test
            T1: rollback
            T2: select * from test
            T2: commit
            """,
            o -> o.read(2, 1, 101) || o.read(4, 1, 101)
                    ? anomaly("T2 read 1 => 101, a write T1 rolled back")
                    : prevented("T2 read " + o.shown(2) + " while T1's write was uncommitted"));

    static final ScriptedTest G1B = ScriptedTest.of(
            new Anomaly("G1b", "G1b", "Intermediate reads (dirty reads)",
                    "T1 writes 101 then 11 to row 1 and commits; the anomaly is T2 reading the intermediate 101."),
            """
            T1: update test set value = 101 where id = 1
            T2: select * from test
            T1: update test set value = 11 where id = 1
            T1: commit
            T2: select * from test
            T2: commit
            """,
            o -> o.read(2, 1, 101) || o.read(5, 1, 101)
                    ? anomaly("T2 read 1 => 101, a value T1 overwrote before committing")
                    : prevented("T2 read " + o.shown(2) + ", then " + o.shown(5)));

    static final ScriptedTest G1C = ScriptedTest.of(
            new Anomaly("G1c", "G1c", "Circular information flow (dirty reads)",
                    "T1 writes row 1, T2 writes row 2, each then reads the other's row; the anomaly is each seeing the "
                            + "other's uncommitted write."),
            """
            T1: update test set value = 11 where id = 1
            T2: update test set value = 22 where id = 2
            T1: select * from test where id = 2
            T2: select * from test where id = 1
            T1: commit
            T2: commit
            """,
            o -> o.read(3, 2, 22) && o.read(4, 1, 11)
                    ? anomaly("T1 read 2 => 22 (T2's uncommitted write) and T2 read 1 => 11 (T1's): each saw the other")
                    : prevented("T1 read " + o.shown(3) + ", T2 read " + o.shown(4)));

    /** MySQL's script (T3 reads the whole table), which shows the anomaly at READ UNCOMMITTED where PostgreSQL's does not. */
    static final ScriptedTest OTV = ScriptedTest.of(
            new Anomaly("OTV", "OTV", "Observed transaction vanishes",
                    "T1 and then T2 write rows 1 and 2 while T3 reads; the anomaly is T3 seeing T2's write to one row "
                            + "together with, or followed by, a value T2 overwrites on the other."),
            """
            T1: update test set value = 11 where id = 1
            T1: update test set value = 19 where id = 2
            T2: update test set value = 12 where id = 1
            T1: commit
            T3: select * from test
            T2: update test set value = 18 where id = 2
            T3: select * from test
            T2: commit
            T3: select * from test
            T3: commit
            """,
            o -> {
                boolean sawT2 = false;
                for (int step : new int[] {5, 7, 9}) {
                    Integer one = o.read(step, 1);
                    Integer two = o.read(step, 2);
                    sawT2 |= eq(one, 12) || eq(two, 18);
                    boolean notT2 = (one != null && !eq(one, 12)) || (two != null && !eq(two, 18));
                    if (sawT2 && notT2) {
                        return anomaly("T3 read " + o.shown(step) + " at step " + step
                                + ": part of T2's writes, with the rest of T2 vanished");
                    }
                }
                return prevented("T3 read " + o.shown(5) + ", then " + o.shown(7) + ", then " + o.shown(9));
            });

    static final ScriptedTest PMP = ScriptedTest.of(
            new Anomaly("PMP", "PMP", "Predicate-many-preceders",
                    "T1 reads by a predicate, T2 inserts a matching row and commits, T1 reads by a predicate again; "
                            + "the anomaly is T1's second read seeing the new row."),
            """
            T1: select * from test where value = 30
            T2: insert into test (id, value) values (3, 30)
            T2: commit
            T1: select * from test where value % 3 = 0
            T1: commit
            """,
            o -> o.read(4, 3) != null
                    ? anomaly("T1 first read " + o.shown(1) + ", then " + o.shown(4) + ": T2's committed insert appeared")
                    : prevented("T1 read " + o.shown(1) + ", then " + o.shown(4)));

    /** MySQL's script (T2 reads before deleting), which shows the anomaly on both databases. */
    static final ScriptedTest PMP_WRITE = ScriptedTest.of(
            new Anomaly("PMP-write", "PMPw", "Predicate-many-preceders (write predicate)",
                    "T1 adds 10 to every row; T2 deletes where value = 20; the anomaly is T2 seeing a row with value "
                            + "20 after its delete committed, or a final state no serial order gives."),
            """
            T1: update test set value = value + 10
            T2: select * from test where value = 20
            T2: delete from test where value = 20
            T1: commit
            T2: select * from test
            T2: commit
            """,
            o -> {
                if (!o.allCommitted("T1", "T2")) {
                    return prevented("a transaction did not commit");
                }
                String saw = "T2 deleted " + o.updated(3) + " row(s) where value = 20, then read " + o.shown(5)
                        + "; final state " + Observation.show(o.finalState());
                boolean serial = o.finalState().equals(Map.of(2, 30)) || o.finalState().equals(Map.of(1, 20));
                boolean twentyLeft = o.step(5).rows() != null && o.step(5).rows().containsValue(20);
                return !serial || twentyLeft ? anomaly(saw) : prevented(saw);
            });

    static final ScriptedTest P4 = ScriptedTest.of(
            new Anomaly("P4", "P4", "Lost update",
                    "T1 and T2 both read row 1 and then write it; the anomaly is both committing, so that T1's write is "
                            + "overwritten by a transaction that never saw it."),
            """
            T1: select * from test where id = 1
            T2: select * from test where id = 1
            T1: update test set value = 11 where id = 1
            T2: update test set value = 11 where id = 1
            T1: commit
            T2: commit
            """,
            o -> o.allCommitted("T1", "T2") && o.read(2, 1, 10) && o.updated(4) == 1
                    ? anomaly("T1 and T2 both read 1 => 10 and both committed a write of row 1: T1's update is lost")
                    : prevented("T1 and T2 did not both commit their writes"));

    static final ScriptedTest G_SINGLE = ScriptedTest.of(
            new Anomaly("G-single", "Gs", "Read skew",
                    "T1 reads row 1, T2 changes rows 1 and 2 and commits, T1 reads row 2; the anomaly is T1 seeing the "
                            + "old row 1 and the new row 2."),
            """
            T1: select * from test where id = 1
            T2: select * from test where id = 1
            T2: select * from test where id = 2
            T2: update test set value = 12 where id = 1
            T2: update test set value = 18 where id = 2
            T2: commit
            T1: select * from test where id = 2
            T1: commit
            """,
            o -> o.read(1, 1, 10) && o.read(7, 2, 18)
                    ? anomaly("T1 read 1 => 10 and then 2 => 18: half of T2's commit")
                    : prevented("T1 read " + o.shown(1) + ", then " + o.shown(7)));

    static final ScriptedTest G_SINGLE_DEPENDENCIES = ScriptedTest.of(
            new Anomaly("G-single-dependencies", "Gs-d", "Read skew (predicate dependencies)",
                    "T1 reads by a predicate, T2 changes a row it read and commits, T1 reads by another predicate; the "
                            + "anomaly is T1 seeing T2's value."),
            """
            T1: select * from test where value % 5 = 0
            T2: update test set value = 12 where value = 10
            T2: commit
            T1: select * from test where value % 3 = 0
            T1: commit
            """,
            o -> o.read(1, 1, 10) && o.read(4, 1, 12)
                    ? anomaly("T1 read " + o.shown(1) + ", then " + o.shown(4) + ": row 1 changed under it")
                    : prevented("T1 read " + o.shown(1) + ", then " + o.shown(4)));

    static final ScriptedTest G_SINGLE_WRITE_1 = ScriptedTest.of(
            new Anomaly("G-single-write-1", "Gs-w1", "Read skew (write predicate, after commit)",
                    "T1 reads row 1, T2 changes rows 1 and 2 and commits, T1 deletes where value = 20; the anomaly is "
                            + "T1 committing: it read before T2 but wrote against T2's rows."),
            """
            T1: select * from test where id = 1
            T2: select * from test
            T2: update test set value = 12 where id = 1
            T2: update test set value = 18 where id = 2
            T2: commit
            T1: delete from test where value = 20
            T1: select * from test where id = 2
            T1: commit
            """,
            o -> o.allCommitted("T1", "T2") && o.read(1, 1, 10)
                    ? anomaly("T1 read 1 => 10 (before T2), its delete where value = 20 changed " + o.updated(6)
                            + " row(s) after T2 committed, it read " + o.shown(7) + ", and it committed")
                    : prevented("T1 did not commit"));

    /** MySQL's SERIALIZABLE variant: T1's delete comes between T2's two writes, before T2 commits. */
    static final ScriptedTest G_SINGLE_WRITE_2 = ScriptedTest.of(
            new Anomaly("G-single-write-2", "Gs-w2", "Read skew (write predicate, before commit)",
                    "T1 reads row 1, T2 reads all and writes row 1, T1 deletes where value = 20, T2 writes row 2; the "
                            + "anomaly is both committing: each read what the other then changed."),
            """
            T1: select * from test where id = 1
            T2: select * from test
            T2: update test set value = 12 where id = 1
            T1: delete from test where value = 20
            T2: update test set value = 18 where id = 2
            T1: commit
            T2: commit
            """,
            o -> o.allCommitted("T1", "T2")
                    ? anomaly("both committed: T1 read 1 => 10 and deleted " + o.updated(4) + " row(s); T2 read "
                            + o.shown(2) + " and its update of row 2 changed " + o.updated(5) + " row(s); final state "
                            + Observation.show(o.finalState()))
                    : prevented("T1 and T2 did not both commit"));

    static final ScriptedTest G2_ITEM = ScriptedTest.of(
            new Anomaly("G2-item", "G2i", "Write skew",
                    "T1 and T2 both read rows 1 and 2, then each writes a different one; the anomaly is both committing."),
            """
            T1: select * from test where id in (1, 2)
            T2: select * from test where id in (1, 2)
            T1: update test set value = 11 where id = 1
            T2: update test set value = 21 where id = 2
            T1: commit
            T2: commit
            """,
            o -> o.allCommitted("T1", "T2")
                    ? anomaly("both read " + o.shown(1) + ", each wrote one row, both committed: final state "
                            + Observation.show(o.finalState()))
                    : prevented("T1 and T2 did not both commit"));

    static final ScriptedTest G2 = ScriptedTest.of(
            new Anomaly("G2", "G2", "Anti-dependency cycles (write skew on a predicate)",
                    "T1 and T2 both find no row with value % 3 = 0, then each inserts one; the anomaly is both committing."),
            """
            T1: select * from test where value % 3 = 0
            T2: select * from test where value % 3 = 0
            T1: insert into test (id, value) values (3, 30)
            T2: insert into test (id, value) values (4, 42)
            T1: commit
            T2: commit
            """,
            o -> o.allCommitted("T1", "T2")
                    ? anomaly("both read " + o.shown(1) + " for value % 3 = 0 and both inserted a match: final state "
                            + Observation.show(o.finalState()))
                    : prevented("T1 and T2 did not both commit"));

    static final ScriptedTest G2_TWO_EDGES = ScriptedTest.of(
            new Anomaly("G2-two-edges", "G2-2e", "Anti-dependency cycle with two edges (Fekete et al.)",
                    "T1 reads, T2 adds 5 to row 2 and commits, T3 reads and commits, T1 writes row 1; the anomaly is all "
                            + "three committing while T3 saw T2's write and T1 did not."),
            """
            T1: select * from test
            T2: update test set value = value + 5 where id = 2
            T2: commit
            T3: select * from test
            T3: commit
            T1: update test set value = 0 where id = 1
            T1: commit
            """,
            o -> o.allCommitted("T1", "T2", "T3") && o.read(1, 2, 20) && o.read(4, 2, 25) && o.read(4, 1, 10)
                    ? anomaly("T1 read " + o.shown(1) + ", T3 read " + o.shown(4)
                            + ", and T1 then wrote row 1 and committed: no serial order fits")
                    : prevented("T1, T2 and T3 did not all commit with T3 seeing T2's write"));

    /** The whole suite, in Hermitage's order. */
    static final List<ScriptedTest> ALL = List.of(G0, G1A, G1B, G1C, OTV, PMP, PMP_WRITE, P4, G_SINGLE,
            G_SINGLE_DEPENDENCIES, G_SINGLE_WRITE_1, G_SINGLE_WRITE_2, G2_ITEM, G2, G2_TWO_EDGES);

    private static boolean is(Map<Integer, Integer> rows, int id, int value) {
        return eq(rows.get(id), value);
    }

    private static boolean eq(Integer v, int value) {
        return v != null && v == value;
    }
}
