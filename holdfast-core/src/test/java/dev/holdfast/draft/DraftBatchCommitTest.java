package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.draft.Catalogue.Product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * A commit larger than one locking read ({@link DraftCommit#CHUNK} rows), with updates of two column shapes, deletes
 * and inserts: the batched commit reports every conflict in every chunk, writes nothing then, and after a rebase
 * writes every change exactly once with the version bumped once.
 */
class DraftBatchCommitTest {
    private static final int ROWS = 600;        // ids 1..600 exist; more than one chunk of locked reads
    private static final int CHANGED = 560;     // odd ids: price; even ids: name and stock

    @EachDatabase
    void aCommitOfManyRowsMergesEveryChunkAndWritesNothingOnAConflict(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            List<Product> rows = new ArrayList<>();
            for (long id = 1; id <= ROWS; id++) {
                rows.add(Catalogue.product(id));
            }
            db.insertAll(rows);
            Draft draft = Drafts.on(db).createTables().open("alice");
            for (long id = 1; id <= CHANGED; id++) {
                long n = id;
                draft.modify(Product.class, id, p -> n % 2 == 1 ? p.withPrice("12.34")
                        : p.withName("mine " + n).withStock(7));
            }
            for (long id = CHANGED + 1; id <= CHANGED + 20; id++) {
                draft.delete(Product.class, id);
            }
            for (long id = ROWS + 1; id <= ROWS + 20; id++) {
                draft.insert(Catalogue.product(id));
            }
            // Others, meanwhile: a column the draft leaves alone (kept), the same column (conflict, in the last
            // chunk), a row the draft changes deleted, a row the draft deletes changed.
            db.modify(Product.class, 3L, p -> p.withName("theirs 3"));
            db.modify(Product.class, 551L, p -> p.withPrice("99.00"));
            db.delete(Product.class, 550L);
            db.modify(Product.class, 570L, p -> p.withStock(1));

            DraftConflictException e = null;
            try {
                draft.commit();
            } catch (DraftConflictException conflict) {
                e = conflict;
            }
            assertThat(e).isNotNull();
            assertThat(e.conflicts()).extracting(c -> c.id() + " " + c.column() + " " + c.reason())
                    .containsExactly("550 name ROW_DELETED", "550 stock ROW_DELETED",
                            "551 price COLUMN_CHANGED", "570 stock ROW_CHANGED");
            assertUntouched(db.get(Product.class, 1L));
            assertUntouched(db.get(Product.class, 2L));
            assertThat(db.find(Product.class, 561L)).isPresent();
            assertThat(db.find(Product.class, ROWS + 1L)).isEmpty();

            draft.rebase(e.conflicts(), c -> c.reason() == DraftConflict.Reason.COLUMN_CHANGED ? Side.MINE
                    : Side.THEIRS);
            draft.commit();

            for (long id = 1; id <= CHANGED; id++) {
                Product p = db.find(Product.class, id).orElse(null);
                if (id == 550) {
                    assertThat(p).as("deleted by them, never resurrected").isNull();
                    continue;
                }
                assertThat(p).isNotNull();
                long expectedVersion = id == 3 || id == 551 ? 2 : 1;
                assertThat(p.version()).as("version of " + id).isEqualTo(expectedVersion);
                if (id % 2 == 1) {
                    assertThat(p.price()).as("price of " + id).isEqualByComparingTo("12.34");
                    assertThat(p.name()).isEqualTo(id == 3 ? "theirs 3" : "lamp " + id);
                    assertThat(p.stock()).isEqualTo(5);
                } else {
                    assertThat(p.name()).isEqualTo("mine " + id);
                    assertThat(p.stock()).isEqualTo(7);
                    assertThat(p.price()).isEqualByComparingTo("10.00");
                }
            }
            for (long id = CHANGED + 1; id <= CHANGED + 20; id++) {
                assertThat(db.find(Product.class, id).isPresent()).as("row " + id).isEqualTo(id == 570);
            }
            assertThat(db.get(Product.class, 570L).stock()).as("their change kept").isEqualTo(1);
            for (long id = ROWS + 1; id <= ROWS + 20; id++) {
                assertUntouched(db.get(Product.class, id));
            }
            assertThat(db.queryScalar(Long.class, "select count(*) from product")).isEqualTo(ROWS + 20 - 1 - 19);
            assertThatThrownBy(draft::commit).isInstanceOf(DraftClosedException.class);
        }
    }

    /** The row as {@link Catalogue#product} made it (SQLite hands back 10 for 10.00: compared as a number). */
    private static void assertUntouched(Product p) {
        Product made = Catalogue.product(p.id());
        assertThat(p.price()).as("price of " + p.id()).isEqualByComparingTo(made.price());
        assertThat(p.withPrice("0")).as("row " + p.id()).isEqualTo(made.withPrice("0"));
    }
}
