/**
 * Edit sessions (drafts): changes to records recorded as rows in the database over any number of requests, shown
 * with {@link dev.holdfast.draft.Draft#get}, undone and redone, and applied by one short transaction on
 * {@link dev.holdfast.draft.Draft#commit()} with a three-way merge per column (base, mine, theirs). A conflict writes
 * nothing and is reported as {@link dev.holdfast.draft.DraftConflict}s; {@link dev.holdfast.draft.Draft#rebase}
 * resolves them.
 *
 * <pre>{@code
 * Drafts drafts = Drafts.on(db).createTables();
 * Draft draft = drafts.open("alice");
 * draft.modify(Product.class, 7L, p -> p.withPrice(price));
 * draft.commit();
 * }</pre>
 *
 * <p>See {@code docs/drafts.md}.
 */
package dev.holdfast.draft;
