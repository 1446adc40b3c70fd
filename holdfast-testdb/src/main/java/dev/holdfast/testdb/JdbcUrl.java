package dev.holdfast.testdb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JDBC URL split into its part before {@code ?} and its query parameters, kept in order. Values are kept as
 * written: the PostgreSQL driver URL-decodes them and the MariaDB driver does not, so only plain values are added.
 */
final class JdbcUrl {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._~-]*");

    private final String base;
    private final Map<String, String> params;

    private JdbcUrl(String base, Map<String, String> params) {
        this.base = base;
        this.params = params;
    }

    static JdbcUrl parse(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return new JdbcUrl(base, params);
    }

    static boolean isPlain(String value) {
        return PLAIN.matcher(value).matches();
    }

    String param(String name) {
        return params.get(name);
    }

    JdbcUrl with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(name, value);
        return new JdbcUrl(base, copy);
    }

    /** Replaces the database in {@code jdbc:xxx://host:port/database}; adds it when there is none. */
    JdbcUrl withDatabase(String database) {
        int hostStart = base.indexOf("//");
        if (hostStart < 0) {
            throw new IllegalArgumentException("not a jdbc:<driver>://host/database URL: " + redacted());
        }
        int slash = base.indexOf('/', hostStart + 2);
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return new JdbcUrl(hostPart + "/" + database, params);
    }

    /** The URL with any password parameter masked, for messages and logs. */
    String redacted() {
        return params.containsKey("password") ? with("password", "***").toString() : toString();
    }

    @Override
    public String toString() {
        if (params.isEmpty()) {
            return base;
        }
        StringBuilder url = new StringBuilder(base).append('?');
        params.forEach((name, value) -> url.append(name).append('=').append(value).append('&'));
        url.setLength(url.length() - 1);
        return url.toString();
    }
}
