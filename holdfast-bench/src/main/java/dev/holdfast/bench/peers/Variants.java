package dev.holdfast.bench.peers;

/** The change variants that only some libraries have (see ChangeVariantsBenchmark). */
public final class Variants {
    private Variants() {
    }

    @FunctionalInterface
    public interface Change {
        void run(long id, int foo) throws Exception;
    }

    /**
     * {@code jdbc-locked} (SELECT ... FOR UPDATE + UPDATE by hand), {@code jdbc-blind} (UPDATE in a transaction),
     * {@code holdfast-modify}, {@code holdfast-set} ({@code update(set(...))}), {@code hibernate-locked}
     * ({@code PESSIMISTIC_WRITE}).
     */
    public static Change change(Library library, String variant) {
        if (library instanceof JdbcLibrary jdbc && variant.equals("locked")) {
            return jdbc::changeLocked;
        }
        if (library instanceof JdbcLibrary jdbc && variant.equals("blind")) {
            return jdbc::change;
        }
        if (library instanceof HoldfastLibrary holdfast && variant.equals("set")) {
            return holdfast::changeSet;
        }
        if (library instanceof HoldfastLibrary holdfast && variant.equals("modify")) {
            return holdfast::change;
        }
        if (library instanceof HibernateLibrary hibernate && variant.equals("locked")) {
            return hibernate::changeLocked;
        }
        throw new IllegalArgumentException("no change variant " + variant + " for " + library.getClass().getSimpleName());
    }
}
