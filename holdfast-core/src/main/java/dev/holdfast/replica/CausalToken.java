package dev.holdfast.replica;

import java.util.Objects;

/**
 * A commit position: "everything committed up to here". A read given a token is served only by a server that has
 * applied at least that much, so it sees every write the token covers.
 *
 * <p>Get one from {@code db.lastCommit()} after a write and carry it to the next request as text (a cookie or a
 * header), in this process or another:
 * <pre>{@code
 * db.transact(tx -> tx.execute("update profile set name = ? where id = ?", name, id));
 * response.addCookie(new Cookie("hf-causal", db.lastCommit().toString()));
 * ...
 * CausalToken seen = CausalToken.parse(request.cookie("hf-causal"));   // "" or null: nothing to wait for
 * Profile p = db.read(ReadOptions.after(seen), tx -> tx.get(Profile.class, id));
 * }</pre>
 *
 * <p>On PostgreSQL the position is a WAL location ({@code pg:0/3016038}); on a MariaDB Galera cluster it is the
 * cluster's commit sequence number ({@code galera:1234}). {@link #none()} ({@code ""}) asks for nothing.
 */
public final class CausalToken {
    private static final CausalToken NONE = new CausalToken(Kind.NONE, 0);

    private enum Kind { NONE, POSTGRES, GALERA }

    private final Kind kind;
    private final long position;

    private CausalToken(Kind kind, long position) {
        this.kind = kind;
        this.position = position;
    }

    /** The token that asks for nothing: any replica may serve the read. Its text form is {@code ""}. */
    public static CausalToken none() {
        return NONE;
    }

    /**
     * Reads a token from its text form ({@link #toString()}): {@code pg:<hi>/<lo>} (a PostgreSQL LSN such as
     * {@code pg:0/3016038}), {@code galera:<seqno>}, or {@code ""}/{@code null} for {@link #none()}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these (a cookie from elsewhere, a typo)
     */
    public static CausalToken parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String t = text.trim();
        try {
            if (t.startsWith("pg:")) {
                String lsn = t.substring(3);
                int slash = lsn.indexOf('/');
                if (slash > 0) {
                    long hi = Long.parseLong(lsn.substring(0, slash), 16);
                    long lo = Long.parseLong(lsn.substring(slash + 1), 16);
                    if (hi >= 0 && hi <= 0xFFFFFFFFL && lo >= 0 && lo <= 0xFFFFFFFFL) {
                        return new CausalToken(Kind.POSTGRES, hi << 32 | lo);
                    }
                }
            } else if (t.startsWith("galera:")) {
                long seqno = Long.parseLong(t.substring(7));
                if (seqno >= 0) {
                    return new CausalToken(Kind.GALERA, seqno);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Not a causal token: \"" + text + "\". Expected the text of db.lastCommit(), such as "
                + "pg:0/3016038 or galera:1234, or \"\" for none");
    }

    /** True for {@link #none()}. */
    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** True when a server at this position has everything {@code other} covers ({@code none} is covered by all). */
    public boolean covers(CausalToken other) {
        if (other.kind == Kind.NONE) {
            return true;
        }
        return kind == other.kind && position >= other.position;
    }

    /**
     * The later of two tokens (what a reader needs to see both).
     *
     * @throws IllegalArgumentException when they come from different kinds of database
     */
    public CausalToken max(CausalToken other) {
        if (other.kind == Kind.NONE) {
            return this;
        }
        if (kind == Kind.NONE) {
            return other;
        }
        if (kind != other.kind) {
            throw new IllegalArgumentException("Causal tokens of different databases cannot be combined: " + this + " and " + other);
        }
        return position >= other.position ? this : other;
    }

    /** True for a PostgreSQL position. */
    public boolean isPostgres() {
        return kind == Kind.POSTGRES;
    }

    /** True for a Galera position. */
    public boolean isGalera() {
        return kind == Kind.GALERA;
    }

    /** The text form, which {@link #parse(String)} reads back: {@code pg:0/3016038}, {@code galera:1234} or {@code ""}. */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "";
            case POSTGRES -> "pg:" + Long.toHexString(position >>> 32).toUpperCase() + "/" + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase();
            case GALERA -> "galera:" + position;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CausalToken t && t.kind == kind && t.position == position;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, position);
    }
}
