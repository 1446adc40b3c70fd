package dev.holdfast.testkit.detect.internal;

import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testkit.detect.Catalogue;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Reads unique keys and primary keys of the current schema from DatabaseMetaData. */
public final class JdbcCatalogue {
    private JdbcCatalogue() {
    }

    public static Catalogue read(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            DatabaseKind kind = RecordingDataSource.kindOf(md.getDatabaseProductName());
            if (kind == null) {
                throw new IllegalArgumentException("The race detector knows SQLite, PostgreSQL and MariaDB/MySQL, not "
                        + md.getDatabaseProductName() + "; use Catalogue.of(kind, uniqueKeys) to describe the schema");
            }
            String catalog = kind == DatabaseKind.MARIADB ? c.getCatalog() : null;
            String schema = kind == DatabaseKind.POSTGRES ? c.getSchema() : null;
            Map<String, List<Set<String>>> keys = new HashMap<>();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                List<Set<String>> unique = new ArrayList<>();
                Set<String> pk = new LinkedHashSet<>();
                try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
                    while (rs.next()) {
                        pk.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                if (!pk.isEmpty()) {
                    unique.add(pk);
                }
                Map<String, Set<String>> indexes = new TreeMap<>();
                try (ResultSet rs = md.getIndexInfo(catalog, schema, table, true, false)) {
                    while (rs.next()) {
                        String index = rs.getString("INDEX_NAME");
                        String column = rs.getString("COLUMN_NAME");
                        if (index == null || column == null || rs.getBoolean("NON_UNIQUE")) {
                            continue;
                        }
                        indexes.computeIfAbsent(index, k -> new LinkedHashSet<>()).add(column.toLowerCase(Locale.ROOT));
                    }
                }
                for (Set<String> cols : indexes.values()) {
                    if (!unique.contains(cols)) {
                        unique.add(cols);
                    }
                }
                keys.put(table.toLowerCase(Locale.ROOT), List.copyOf(unique));
            }
            return Catalogue.of(kind, keys);
        } catch (SQLException e) {
            throw new IllegalArgumentException("The race detector could not read the catalogue (tables, primary keys, "
                    + "unique indexes) from the data source: " + e.getMessage() + ". Pass a DataSource that can "
                    + "connect, or use Catalogue.of(kind, uniqueKeys)", e);
        }
    }
}
