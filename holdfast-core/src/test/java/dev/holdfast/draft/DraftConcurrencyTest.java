package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.draft.Catalogue.Product;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The races of issue 11, from real threads released together by a barrier, many rounds each, on every database. The
 * interleaving explorer runs the same races schedule by schedule in the examples module (DraftScenariosTest).
 */
class DraftConcurrencyTest {
    static final int ROUNDS = 8;

    @EachDatabase
    void twoDraftsOnDifferentColumnsAndAPlainModifyAreAllKept(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            Drafts drafts = Drafts.on(db).createTables();
            for (long round = 1; round <= ROUNDS; round++) {
                long id = round;
                db.insert(Catalogue.product(id));
                Draft a = drafts.open("alice");
                a.modify(Product.class, id, p -> p.withPrice("20.00"));
                Draft b = drafts.open("bob");
                b.modify(Product.class, id, p -> p.withName("bob's name"));
                race(() -> {
                    a.commit();
                    return null;
                }, () -> {
                    b.commit();
                    return null;
                }, () -> db.modify(Product.class, id, p -> p.withStock(p.stock() + 1)));
                Product end = db.get(Product.class, id);
                assertThat(end.price()).isEqualByComparingTo("20.00");
                assertThat(end.name()).isEqualTo("bob's name");
                assertThat(end.stock()).isEqualTo(6);
                assertThat(end.version()).isEqualTo(3);
            }
        }
    }

    @EachDatabase
    void twoDraftsOnTheSameColumnCommitExactlyOnceAndTheLoserWritesNothing(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            Drafts drafts = Drafts.on(db).createTables();
            for (long round = 1; round <= ROUNDS; round++) {
                long id = round;
                long other = 100 + round;
                db.insert(Catalogue.product(id));
                db.insert(Catalogue.product(other));
                Draft a = drafts.open("alice");
                a.modify(Product.class, id, p -> p.withPrice("20.00"));
                a.modify(Product.class, other, p -> p.withStock(1));
                Draft b = drafts.open("bob");
                b.modify(Product.class, id, p -> p.withPrice("30.00"));
                b.modify(Product.class, other, p -> p.withName("bob"));
                List<Object> outcome = race(() -> commit(a), () -> commit(b));
                assertThat(outcome).filteredOn(o -> o.equals("committed")).hasSize(1);
                DraftConflictException lost = (DraftConflictException) outcome.stream()
                        .filter(o -> o instanceof DraftConflictException).findFirst().orElseThrow();
                assertThat(lost.conflicts()).singleElement().satisfies(c -> {
                    assertThat(c.column()).isEqualTo("price");
                    assertThat(c.id()).isEqualTo(id);
                });
                boolean aWon = outcome.get(0).equals("committed");
                assertThat(db.get(Product.class, id).price()).isEqualByComparingTo(aWon ? "20.00" : "30.00");
                Product o = db.get(Product.class, other);
                assertThat(o.stock()).as("the loser's other column is not written").isEqualTo(aWon ? 1 : 5);
                assertThat(o.name()).isEqualTo(aWon ? "lamp " + other : "bob");
            }
        }
    }

    @EachDatabase
    void aCommitRacingADeleteIsAConflictNeverAResurrectedRow(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            Drafts drafts = Drafts.on(db).createTables();
            for (long round = 1; round <= ROUNDS; round++) {
                long id = round;
                db.insert(Catalogue.product(id));
                Draft a = drafts.open("alice");
                a.modify(Product.class, id, p -> p.withPrice("20.00"));
                List<Object> outcome = race(() -> commit(a), () -> db.transact(tx -> tx.delete(Product.class, id)));
                assertThat(db.find(Product.class, id)).as("round %s: %s", round, outcome).isEmpty();
                if (outcome.get(0) instanceof DraftConflictException e) {
                    assertThat(e.conflicts()).extracting(DraftConflict::reason)
                            .containsOnly(DraftConflict.Reason.ROW_DELETED);
                } else {
                    assertThat(outcome.get(0)).isEqualTo("committed");
                }
            }
        }
    }

    @EachDatabase
    void twoTabsOnOneDraftRecordEveryOperationAndCommitOnce(TestDatabase t) throws Exception {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            Drafts drafts = Drafts.on(db).createTables();
            int perTab = 10;
            for (long id = 1; id <= 2 * perTab; id++) {
                db.insert(Catalogue.product(id));
            }
            String draftId = drafts.open("alice").id();
            Draft tab1 = drafts.resume(draftId);
            Draft tab2 = drafts.resume(draftId);
            race(() -> {
                for (long id = 1; id <= perTab; id++) {
                    tab1.modify(Product.class, id, p -> p.withStock(100));
                }
                return null;
            }, () -> {
                for (long id = perTab + 1; id <= 2 * perTab; id++) {
                    tab2.modify(Product.class, id, p -> p.withStock(200));
                }
                return null;
            });
            assertThat(tab1.operations()).isEqualTo(2 * perTab);
            assertThat(db.query(rs -> rs.getInt(1), "select seq from holdfast_draft_operation where draft_id = ? "
                    + "order by seq", draftId)).as("one defined order, no gap").hasSize(2 * perTab)
                    .isSortedAccordingTo(Integer::compare).startsWith(1).endsWith(2 * perTab);

            // tab1 has not seen tab2's operations: its undo refuses instead of undoing one of them silently
            boolean refused = false;
            try {
                tab1.undo();
            } catch (DraftChangedException e) {
                refused = true;
            }
            Draft tab3 = drafts.resume(draftId);   // a tab that loaded after both
            assertThat(refused).isTrue();
            assertThat(tab3.operations()).isEqualTo(2 * perTab);

            List<Object> outcome = race(() -> commit(tab1), () -> commit(tab2));
            assertThat(outcome).filteredOn(o -> o.equals("committed")).hasSize(1);
            assertThat(outcome).filteredOn(o -> o instanceof DraftClosedException).hasSize(1);
            for (long id = 1; id <= 2 * perTab; id++) {
                Product p = db.get(Product.class, id);
                assertThat(p.stock()).isEqualTo(id <= perTab ? 100 : 200);
                assertThat(p.version()).as("written once").isEqualTo(1);
            }
        }
    }

    private static Object commit(Draft d) {
        try {
            d.commit();
            return "committed";
        } catch (DraftConflictException | DraftClosedException e) {
            return e;
        }
    }

    /** Runs the bodies at once (released by one barrier) and returns their results in order. */
    @SafeVarargs
    static List<Object> race(Callable<Object>... bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.length);
        CyclicBarrier start = new CyclicBarrier(bodies.length);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> body : bodies) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return body.call();
                }));
            }
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
