package dev.holdfast.internal.dialect;

/** JDBC URL handling that must never leak a password into a message or a log. */
public final class Urls {
    private Urls() {
    }

    /** The URL with any password removed, fit for an error message. */
    public static String redact(String url) {
        if (url == null) {
            return "null";
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
