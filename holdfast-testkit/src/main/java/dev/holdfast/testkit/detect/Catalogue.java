package dev.holdfast.testkit.detect;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.internal.JdbcCatalogue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What the analysis knows about the schema: the database kind and, per table, its unique keys (the primary key
 * included), each a set of lower-case column names. It decides whether a check-then-insert has a unique constraint
 * behind it.
 *
 * <pre>{@code
 * Catalogue c = Catalogue.of(dataSource);            // reads DatabaseMetaData once
 * Catalogue u = Catalogue.unknown(DatabaseKind.POSTGRES);  // no schema: unique keys are unknown
 * }</pre>
 */
public interface Catalogue {

    /** The database the catalogue describes. */
    DatabaseKind kind();

    /**
     * The unique keys (primary key included) of {@code table}, each a set of lower-case column names; empty when the
     * catalogue does not know the table.
     */
    Optional<List<Set<String>>> uniqueKeys(String table);

    /**
     * Reads the catalogue (tables, primary keys, unique indexes of the connection's current schema or database) and
     * the database kind from {@code dataSource}, once, now.
     *
     * @throws IllegalArgumentException when the database is not SQLite, PostgreSQL or MariaDB/MySQL, or cannot be
     *                                  read (the message says why)
     */
    static Catalogue of(DataSource dataSource) {
        return JdbcCatalogue.read(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** A catalogue that knows the database kind and nothing of the schema. */
    static Catalogue unknown(DatabaseKind kind) {
        return of(kind, Map.of());
    }

    /**
     * A catalogue from known unique keys: table name (lower case) to its unique keys.
     *
     * <pre>{@code
     * Catalogue c = Catalogue.of(DatabaseKind.MARIADB, Map.of("account", List.of(Set.of("id"))));
     * }</pre>
     */
    static Catalogue of(DatabaseKind kind, Map<String, List<Set<String>>> uniqueKeys) {
        Objects.requireNonNull(kind, "kind");
        Map<String, List<Set<String>>> keys = Map.copyOf(uniqueKeys);
        return new Catalogue() {
            @Override
            public DatabaseKind kind() {
                return kind;
            }

            @Override
            public Optional<List<Set<String>>> uniqueKeys(String table) {
                return Optional.ofNullable(keys.get(table.toLowerCase(java.util.Locale.ROOT)));
            }

            @Override
            public String toString() {
                return kind + " " + keys;
            }
        };
    }
}
