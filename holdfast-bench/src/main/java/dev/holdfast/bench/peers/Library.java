package dev.holdfast.bench.peers;

/**
 * The same workloads written the way each library's users write them. Every call borrows what it needs from the
 * library (a pooled connection, a session, a handle) and gives it back, as application code does.
 */
public interface Library {

    /** Reads one row by id. */
    Object get(long id) throws Exception;

    /** Inserts one row and returns its generated id. */
    long insert(int i) throws Exception;

    /** Inserts {@code count} rows in one transaction, as one batch where the library can. */
    int insertBatch(int first, int count) throws Exception;

    /** Changes one column of one row in a transaction, the library's idiomatic way. */
    void change(long id, int foo) throws Exception;

    /**
     * One increment of the contended counter (row 1), by the named variant ({@code naive}, {@code atomic}, ...).
     *
     * @throws IllegalArgumentException when the library has no such variant
     */
    Increment increment(String variant);

    /** One committed increment; returns how many times it had to start again (0 for most variants). */
    @FunctionalInterface
    interface Increment {
        int run() throws Exception;
    }

    static Library of(Peers peers) {
        return switch (peers.library) {
            case "jdbc" -> new JdbcLibrary(peers.pool, peers.target);
            case "holdfast" -> new HoldfastLibrary(peers.holdfast);
            case "hibernate" -> new HibernateLibrary(peers.hibernate);
            case "jdbi" -> new JdbiLibrary(peers.jdbi, peers.target);
            case "jooq" -> new JooqLibrary(peers.jooq);
            default -> throw new IllegalArgumentException("unknown library " + peers.library);
        };
    }
}
