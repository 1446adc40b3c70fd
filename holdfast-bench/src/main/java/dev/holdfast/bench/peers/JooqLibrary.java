package dev.holdfast.bench.peers;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * jOOQ 3.19 as its users write it without code generation: a {@code DSLContext} over the peers' HikariCP pool, the
 * tables and columns declared once with {@code table(name(...))} / {@code field(name(...), type)}, typed queries,
 * {@code ctx.transaction(...)} for transactions and a bind-value {@code batch} for many rows. Generated classes would
 * give the same SQL; they only save writing the six declarations below.
 */
final class JooqLibrary implements Library {
    static final Table<?> THING = table(name("thing"));
    static final Field<Long> ID = field(name("id"), SQLDataType.BIGINT);
    static final Field<Integer> FOO = field(name("foo"), SQLDataType.INTEGER);
    static final Field<Integer> BAR = field(name("bar"), SQLDataType.INTEGER);
    static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR(64));
    static final Field<Long> VERSION = field(name("version"), SQLDataType.BIGINT);
    static final Table<?> COUNTER = table(name("counter"));
    static final Field<Long> COUNTER_ID = field(name("id"), SQLDataType.BIGINT);
    static final Field<Long> N = field(name("n"), SQLDataType.BIGINT);

    private final DSLContext ctx;

    JooqLibrary(DSLContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Thing get(long id) {
        return ctx.select(ID, FOO, BAR, NAME, VERSION).from(THING).where(ID.eq(id))
                .fetchSingle(Records.mapping(Thing::new));
    }

    @Override
    public long insert(int i) {
        return ctx.insertInto(THING, FOO, BAR, NAME, VERSION).values(i, i, "new-" + i, 0L)
                .returningResult(ID)
                .fetchSingle()
                .value1();
    }

    @Override
    public int insertBatch(int first, int count) {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            BatchBindStep batch = tx.batch(tx.insertInto(THING, FOO, BAR, NAME, VERSION)
                    .values((Integer) null, null, null, null));
            for (int i = first; i < first + count; i++) {
                batch.bind(i, i, "new-" + i, 0L);
            }
            return batch.execute().length;
        });
    }

    /** {@code UPDATE} in a transaction, blind (no read), as jOOQ's manual writes an update. */
    @Override
    public void change(long id, int foo) {
        ctx.transaction(cfg -> cfg.dsl().update(THING).set(FOO, foo).where(ID.eq(id)).execute());
    }

    @Override
    public Increment increment(String variant) {
        return switch (variant) {
            case "naive" -> () -> {
                ctx.transaction(cfg -> {
                    DSLContext tx = cfg.dsl();
                    long n = tx.select(N).from(COUNTER).where(COUNTER_ID.eq(1L)).fetchSingle().value1();
                    tx.update(COUNTER).set(N, n + 1).where(COUNTER_ID.eq(1L)).execute();
                });
                return 0;
            };
            case "atomic" -> () -> {
                ctx.update(COUNTER).set(N, N.plus(1)).where(COUNTER_ID.eq(1L)).execute();
                return 0;
            };
            default -> throw new IllegalArgumentException("jooq has no counter variant " + variant);
        };
    }
}
