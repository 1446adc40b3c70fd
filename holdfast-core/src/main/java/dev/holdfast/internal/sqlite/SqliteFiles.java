package dev.holdfast.internal.sqlite;

import dev.holdfast.error.ConnectionFailedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks an SQLite URL before any connection is made, so that the common mistakes get a message that says the fix. */
public final class SqliteFiles {
    private SqliteFiles() {
    }

    /** The file path of a {@code jdbc:sqlite:} URL, without its query string. */
    static String path(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        return path.startsWith("file:") ? path.substring("file:".length()) : path;
    }

    public static void check(String url) {
        String path = path(url);
        if (path.isEmpty() || path.contains(":memory:") || url.contains("mode=memory")) {
            throw new IllegalArgumentException("Holdfast needs an SQLite file, not an in-memory database (" + url
                    + "): each pooled connection would see a different empty database. Use a file path, e.g. "
                    + "jdbc:sqlite:/tmp/app.db");
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ConnectionFailedException("Cannot open SQLite database " + url + ": the directory " + parent
                    + " does not exist; create it first", null);
        }
    }
}
