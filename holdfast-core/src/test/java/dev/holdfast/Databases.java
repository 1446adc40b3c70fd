package dev.holdfast;

import dev.holdfast.testdb.TestDatabase;
import java.util.function.UnaryOperator;

/** Opens a {@link Database} on a test database of the test-support layer. */
public final class Databases {
    private Databases() {
    }

    public static Database open(TestDatabase t) {
        return open(t, b -> b);
    }

    public static Database open(TestDatabase t, UnaryOperator<Database.Builder> config) {
        Database.Builder b = Database.builder(t.url());
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return config.apply(b).build();
    }

    /** The URL without user and password parameters, to test connecting as someone else. */
    public static String withoutCredentials(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String param : url.substring(q + 1).split("&")) {
            String key = param.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (!key.equals("user") && !key.equals("password")) {
                kept.append(kept.length() == 0 ? "" : "&").append(param);
            }
        }
        return url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
    }
}
