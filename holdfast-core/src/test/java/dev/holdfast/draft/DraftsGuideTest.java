package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.record.Id;
import dev.holdfast.record.Table;
import dev.holdfast.record.Version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The examples of docs/drafts.md, compiled and run on every database. */
class DraftsGuideTest {

    @Table("product")
    record Product(@Id Long id, String name, BigDecimal price, int stock, @Version long version) {
        Product withPrice(String p) { return new Product(id, name, new BigDecimal(p), stock, version); }
        Product withStock(int s)    { return new Product(id, name, price, s, version); }
    }

    @EachDatabase
    void theApi(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(new Product(1L, "lamp", new BigDecimal("10.00"), 5, 0));
            db.insert(new Product(3L, "chair", new BigDecimal("40.00"), 2, 0));

            Drafts drafts = Drafts.on(db).createTables();

            Draft draft = drafts.open("alice");
            String id = draft.id();

            Draft same = drafts.resume(id);
            same.modify(Product.class, 1L, p -> p.withPrice("12.50"));
            same.insert(new Product(2L, "desk lamp", new BigDecimal("25.00"), 3, 0));
            same.delete(Product.class, 3L);

            Product preview = same.get(Product.class, 1L);
            Optional<Product> gone = same.find(Product.class, 3L);
            same.undo();
            same.redo();
            same.commit();

            assertThat(preview.price()).isEqualByComparingTo("12.50");
            assertThat(gone).isEmpty();
            assertThat(db.get(Product.class, 1L).price()).isEqualByComparingTo("12.50");
            assertThat(db.get(Product.class, 2L).name()).isEqualTo("desk lamp");
            assertThat(db.find(Product.class, 3L)).isEmpty();

            List<String> audit = new CopyOnWriteArrayList<>();
            Draft another = drafts.open("alice");
            another.modify(Product.class, 1L, p -> p.withStock(4));
            another.commit(tx -> tx.afterCommit(() -> audit.add("draft committed")));
            assertThat(audit).containsExactly("draft committed");

            Draft old = drafts.open("bob");
            assertThat(drafts.list("bob")).extracting(Draft::id).containsExactly(old.id());
            old.cancel();
            assertThat(drafts.expire(Duration.ofDays(7))).isZero();
        }
    }

    @EachDatabase
    void conflictsAndRebase(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(new Product(1L, "lamp", new BigDecimal("10.00"), 5, 0));
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.modify(Product.class, 1L, p -> p.withPrice("12.00").withStock(1));
            db.modify(Product.class, 1L, p -> p.withPrice("15.00").withStock(9));   // a colleague, meanwhile

            List<DraftConflict> seen = new CopyOnWriteArrayList<>();
            try {
                draft.commit();
            } catch (DraftConflictException e) {
                for (DraftConflict c : e.conflicts()) {
                    // c.table(), c.id(), c.column(), c.base(), c.mine(), c.theirs(), c.reason()
                    seen.add(c);
                }
                draft.rebase(e.conflicts(), c -> c.column().equals("price") ? Side.MINE : Side.THEIRS);
                draft.commit();
            }

            assertThat(seen).extracting(DraftConflict::column).containsExactlyInAnyOrder("price", "stock");
            Product end = db.get(Product.class, 1L);
            assertThat(end.price()).isEqualByComparingTo("12.00");
            assertThat(end.stock()).isEqualTo(9);
        }
    }
}
