package dev.holdfast.internal.dialect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The shape of a server URL, for messages. */
    public static final String EXPECTED =
            "write it as jdbc:<postgresql|mariadb|mysql>://host[:port]/database[?key=value&...]";

    /**
     * Why a server URL ({@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:mysql:}) is malformed, as far as
     * its shape tells (a port that is not a number, a missing host), or null when its shape is fine or it is not a
     * server URL.
     */
    public static String malformation(String url) {
        Matcher m = url == null ? null : SERVER.matcher(url);
        String expected = EXPECTED;
        if (m == null || !m.matches()) {
            return null;
        }
        String hostPort = m.group(2);
        if (hostPort.contains(",") || hostPort.contains("@")) {
            return null;   // several hosts, or credentials before the host: leave the judgement to the driver
        }
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.isEmpty() || colon == 0) {
            return "the host is missing; " + expected;
        }
        if (colon > 0 && !hostPort.endsWith("]")) {
            String port = hostPort.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
                return "the port '" + port + "' is not a number from 1 to 65535; " + expected;
            }
        }
        return null;
    }

    private static final Pattern SERVER = Pattern.compile("(?i)jdbc:(postgresql|mariadb|mysql)://([^/?]*)(/.*)?");
}
