package dev.holdfast.draft;

import dev.holdfast.Database;
import dev.holdfast.Databases;
import dev.holdfast.draft.Catalogue.Product;
import dev.holdfast.error.NotFoundException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a draft records, shows, undoes and commits, one thing at a time, on each database. */
class DraftsTest {

    @EachDatabase
    void recordsOnlyTheChangedColumnsAndShowsTheDraftWithoutTouchingTheRow(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Drafts drafts = Drafts.on(db).createTables();
            Draft draft = drafts.open("alice");
            Product shown = draft.modify(Product.class, 1L, p -> p.withPrice("12.50"));

            assertThat(shown.price()).isEqualByComparingTo("12.50");
            assertThat(draft.get(Product.class, 1L).price()).isEqualByComparingTo("12.50");
            assertThat(db.get(Product.class, 1L).price()).as("the real row").isEqualByComparingTo("10.00");
            // SQLite hands back 10 for 10.00 (a NUMERIC column); the value is the same
            assertThat(db.query(rs -> rs.getString(1) + "=" + new BigDecimal(rs.getString(2)).stripTrailingZeros().toPlainString()
                            + "->" + rs.getString(3),
                    "select column_name, old_value, new_value from holdfast_draft_value where draft_id = ?",
                    draft.id())).containsExactly("price=10->12.50");
            assertThat(db.queryScalar(Long.class, "select base_version from holdfast_draft_operation "
                    + "where draft_id = ?", draft.id())).isZero();
            assertThat(draft.modify(Product.class, 1L, p -> p)).as("no change, nothing recorded").isNotNull();
            assertThat(draft.operations()).isEqualTo(1);
        }
    }

    @EachDatabase
    void undoAndRedoWorkAfterResumingAndANewChangeDropsTheRedoBranch(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Drafts drafts = Drafts.on(db).createTables();
            Draft first = drafts.open("alice");
            first.modify(Product.class, 1L, p -> p.withPrice("11.00"));
            first.modify(Product.class, 1L, p -> p.withPrice("12.00"));
            first.modify(Product.class, 1L, p -> p.withName("desk lamp"));

            Draft draft = Drafts.on(db).resume(first.id());   // another request, a new Drafts after a restart
            assertThat(draft.undo()).isTrue();
            assertThat(draft.get(Product.class, 1L).name()).isEqualTo("lamp 1");
            assertThat(draft.undo()).isTrue();
            assertThat(draft.get(Product.class, 1L).price()).isEqualByComparingTo("11.00");
            assertThat(draft.redo()).isTrue();
            assertThat(draft.get(Product.class, 1L).price()).isEqualByComparingTo("12.00");
            assertThat(draft.undo()).isTrue();
            assertThat(draft.undo()).isTrue();
            assertThat(draft.undo()).as("nothing left to undo").isFalse();
            assertThat(draft.get(Product.class, 1L)).isEqualTo(db.get(Product.class, 1L));
            assertThat(draft.redo()).isTrue();

            draft.modify(Product.class, 1L, p -> p.withStock(9));   // drops the two undone operations
            assertThat(draft.redo()).isFalse();
            assertThat(draft.operations()).isEqualTo(2);
            assertThat(db.queryScalar(Long.class, "select count(*) from holdfast_draft_operation where draft_id = ?",
                    draft.id())).isEqualTo(2);
            Product shown = draft.get(Product.class, 1L);
            assertThat(shown.price()).isEqualByComparingTo("11.00");
            assertThat(shown.stock()).isEqualTo(9);
            assertThat(shown.name()).isEqualTo("lamp 1");
        }
    }

    @EachDatabase
    void commitAppliesInsertsModifiesAndDeletesAndMergesWithOthersColumns(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            db.insert(Catalogue.product(2));
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.modify(Product.class, 1L, p -> p.withPrice("12.00"));
            draft.insert(Catalogue.product(3).withName("new lamp"));
            draft.modify(Product.class, 3L, p -> p.withStock(1));
            assertThat(draft.delete(Product.class, 2L)).isTrue();
            assertThat(draft.find(Product.class, 2L)).isEmpty();
            assertThat(draft.get(Product.class, 3L).stock()).isEqualTo(1);
            assertThat(db.find(Product.class, 3L)).as("readers outside the draft").isEmpty();

            db.modify(Product.class, 1L, p -> p.withStock(42));   // a colleague, meanwhile: another column
            assertThat(draft.get(Product.class, 1L).stock()).as("the preview shows theirs").isEqualTo(42);
            AtomicBoolean after = new AtomicBoolean();
            draft.commit(tx -> tx.afterCommit(() -> after.set(true)));

            assertThat(after).isTrue();
            Product one = db.get(Product.class, 1L);
            assertThat(one.price()).isEqualByComparingTo("12.00");
            assertThat(one.stock()).isEqualTo(42);
            assertThat(one.version()).isEqualTo(2);
            assertThat(db.find(Product.class, 2L)).isEmpty();
            Product three = db.get(Product.class, 3L);
            assertThat(three.price()).isEqualByComparingTo("10.00");
            assertThat(three.withPrice("0")).isEqualTo(new Product(3L, "new lamp", new BigDecimal("0"), 1, 0));
            assertThatThrownBy(draft::commit).isInstanceOf(DraftClosedException.class).hasMessageContaining("committed");
            assertThat(db.queryScalar(Long.class, "select count(*) from holdfast_draft_operation")).isZero();
        }
    }

    @EachDatabase
    void aColumnChangedOnBothSidesIsAConflictThatWritesNothingUntilRebased(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            db.insert(Catalogue.product(2));
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.modify(Product.class, 1L, p -> p.withPrice("12.00").withName("mine"));
            draft.modify(Product.class, 2L, p -> p.withStock(7));
            db.modify(Product.class, 1L, p -> p.withPrice("15.00").withName("theirs"));

            DraftConflictException e = null;
            try {
                draft.commit();
            } catch (DraftConflictException conflict) {
                e = conflict;
            }
            assertThat(e).isNotNull();
            assertThat(e.conflicts()).extracting(DraftConflict::column).containsExactlyInAnyOrder("name", "price");
            DraftConflict price = e.conflicts().stream().filter(c -> c.column().equals("price")).findFirst().get();
            assertThat(price.table()).isEqualTo("product");
            assertThat(price.id()).isEqualTo(1L);
            assertThat((BigDecimal) price.base()).isEqualByComparingTo("10.00");
            assertThat((BigDecimal) price.mine()).isEqualByComparingTo("12.00");
            assertThat((BigDecimal) price.theirs()).isEqualByComparingTo("15.00");
            assertThat(price.reason()).isEqualTo(DraftConflict.Reason.COLUMN_CHANGED);
            assertThat(db.get(Product.class, 2L).stock()).as("nothing written on conflict").isEqualTo(5);

            draft.rebase(e.conflicts(), c -> c.column().equals("price") ? Side.MINE : Side.THEIRS);
            draft.commit();
            Product one = db.get(Product.class, 1L);
            assertThat(one.price()).isEqualByComparingTo("12.00");
            assertThat(one.name()).isEqualTo("theirs");
            assertThat(db.get(Product.class, 2L).stock()).isEqualTo(7);
        }
    }

    @EachDatabase
    void aRowDeletedMeanwhileIsAConflictAndNeverResurrected(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.modify(Product.class, 1L, p -> p.withPrice("12.00"));
            db.execute("delete from product where id = ?", 1L);

            DraftConflictException e = catchConflict(draft);
            assertThat(e.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.reason()).isEqualTo(DraftConflict.Reason.ROW_DELETED);
                assertThat(c.column()).isEqualTo("price");
                assertThat(c.theirs()).isNull();
            });
            assertThatThrownBy(() -> draft.rebase(e.conflicts(), c -> Side.MINE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("insert it again");
            draft.rebase(e.conflicts(), c -> Side.THEIRS);
            draft.commit();
            assertThat(db.find(Product.class, 1L)).isEmpty();
        }
    }

    @EachDatabase
    void deletingARowSomeoneChangedAndInsertingAKeySomeoneTookAreConflicts(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Draft draft = Drafts.on(db).createTables().open("alice");
            draft.delete(Product.class, 1L);
            draft.insert(Catalogue.product(2));
            db.modify(Product.class, 1L, p -> p.withStock(0));
            db.insert(Catalogue.product(2).withName("theirs"));

            DraftConflictException e = catchConflict(draft);
            assertThat(e.conflicts()).extracting(DraftConflict::reason)
                    .containsExactly(DraftConflict.Reason.ROW_CHANGED, DraftConflict.Reason.ROW_EXISTS);
            assertThat(db.get(Product.class, 1L).stock()).isZero();

            draft.rebase(e.conflicts(), c -> c.reason() == DraftConflict.Reason.ROW_CHANGED ? Side.MINE : Side.THEIRS);
            draft.commit();
            assertThat(db.find(Product.class, 1L)).as("deleted after all: mine").isEmpty();
            assertThat(db.get(Product.class, 2L).name()).isEqualTo("theirs");
        }
    }

    @EachDatabase
    void listCancelAndExpire(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            MutableClock clock = new MutableClock();
            Drafts drafts = Drafts.on(db, clock).createTables();
            Draft a = drafts.open("alice");
            Draft b = drafts.open("alice");
            drafts.open("bob");
            assertThat(drafts.list("alice")).extracting(Draft::id).containsExactlyInAnyOrder(a.id(), b.id());

            a.modify(Product.class, 1L, p -> p.withStock(1));
            a.cancel();
            a.cancel();
            assertThat(drafts.list("alice")).extracting(Draft::id).containsExactly(b.id());
            assertThatThrownBy(() -> drafts.resume(a.id())).isInstanceOf(DraftClosedException.class)
                    .hasMessageContaining("cancelled");
            assertThat(db.get(Product.class, 1L).stock()).isEqualTo(5);

            clock.now = clock.now.plus(Duration.ofHours(2));
            Draft c = drafts.open("carol");
            assertThat(drafts.expire(Duration.ofHours(1))).isEqualTo(3);   // a (cancelled), b, bob's
            assertThat(drafts.list("alice")).isEmpty();
            assertThatThrownBy(() -> b.modify(Product.class, 1L, p -> p.withStock(2)))
                    .isInstanceOf(DraftClosedException.class).hasMessageContaining("expired");
            assertThat(drafts.resume(c.id()).owner()).isEqualTo("carol");
        }
    }

    @EachDatabase
    void badInputGetsAClearErrorAndRecordsNothing(TestDatabase t) {
        try (Database db = Databases.open(t)) {
            Catalogue.create(db);
            db.insert(Catalogue.product(1));
            Draft draft = Drafts.on(db).createTables().open("alice");
            assertThatThrownBy(() -> draft.insert(new Product(null, "x", BigDecimal.ONE, 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the @Id set");
            assertThatThrownBy(() -> draft.insert(Catalogue.product(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("draft.modify");
            assertThatThrownBy(() -> draft.modify(Product.class, 9L, p -> p.withStock(1)))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> draft.modify(Product.class, 1L, p -> new Product(2L, p.name(), p.price(), 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Id");
            assertThatThrownBy(() -> draft.commit(tx -> {
                throw new IllegalStateException("the rest of the commit failed");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(draft.operations()).isZero();
            assertThat(Drafts.on(db).resume(draft.id())).as("still open after a failed commit").isNotNull();
            assertThat(db.get(Product.class, 1L).version()).isZero();
        }
    }

    static DraftConflictException catchConflict(Draft draft) {
        try {
            draft.commit();
        } catch (DraftConflictException e) {
            return e;
        }
        throw new AssertionError("commit succeeded; a DraftConflictException was expected");
    }

    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
