package dev.holdfast.bench.peers;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Jdbi 3's fluent core API: a handle per call, named parameters, {@code ConstructorMapper} for the record. */
final class JdbiLibrary implements Library {
    static final String SELECT = "select id, foo, bar, name, version from thing where id = :id";
    static final String INSERT = "insert into thing (foo, bar, name, version) values (:foo, :bar, :name, 0)";

    private final Jdbi jdbi;

    JdbiLibrary(Jdbi jdbi, Target target) {
        this.jdbi = jdbi;
    }

    @Override
    public Thing get(long id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT).bind("id", id).mapTo(Thing.class).one());
    }

    @Override
    public long insert(int i) {
        return jdbi.withHandle(h -> h.createUpdate(INSERT)
                .bind("foo", i).bind("bar", i).bind("name", "new-" + i)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    @Override
    public int insertBatch(int first, int count) {
        return jdbi.inTransaction(h -> {
            PreparedBatch batch = h.prepareBatch(INSERT);
            for (int i = first; i < first + count; i++) {
                batch.bind("foo", i).bind("bar", i).bind("name", "new-" + i).add();
            }
            return batch.execute().length;
        });
    }

    @Override
    public void change(long id, int foo) {
        jdbi.useTransaction(h -> h.createUpdate("update thing set foo = :foo where id = :id")
                .bind("foo", foo).bind("id", id).execute());
    }

    @Override
    public Increment increment(String variant) {
        return switch (variant) {
            case "naive" -> () -> {
                jdbi.useTransaction(h -> {
                    long n = h.createQuery("select n from counter where id = 1").mapTo(Long.class).one();
                    h.createUpdate("update counter set n = :n where id = 1").bind("n", n + 1).execute();
                });
                return 0;
            };
            case "atomic" -> () -> {
                jdbi.useHandle(h -> h.execute("update counter set n = n + 1 where id = 1"));
                return 0;
            };
            default -> throw new IllegalArgumentException("jdbi has no counter variant " + variant);
        };
    }
}
