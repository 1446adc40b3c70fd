package dev.holdfast.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options that say which database a command works on; shared by {@code audit} and {@code explore}. */
final class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "JDBC URL: jdbc:postgresql://host/db, jdbc:mariadb://host/db (or jdbc:mysql:), "
                    + "jdbc:sqlite:file. A user and password may be in it. Default: a new SQLite file in a temporary "
                    + "directory.")
    String url;

    @Option(names = "--user", paramLabel = "U", description = "User name, when not in the URL.")
    String user;

    /**
     * Interactive: {@code --password} alone prompts without echo, so the password stays out of the shell history;
     * {@code HOLDFAST_PASSWORD} is read when the option is absent.
     */
    @Option(names = "--password", paramLabel = "P", arity = "0..1", interactive = true,
            defaultValue = "${env:HOLDFAST_PASSWORD}",
            description = "Password, when not in the URL. Given alone it is asked for (not echoed). "
                    + "Default: the environment variable HOLDFAST_PASSWORD.")
    String password;

    /** A URL of a database Holdfast does not speak is a usage error (exit 2), found before anything runs. */
    void checkKind(CommandLine command, String what) {
        if (url == null) {
            return;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"jdbc:sqlite:", "jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:"}) {
            if (lower.startsWith(prefix)) {
                return;
            }
        }
        throw new ParameterException(command, what + " runs on jdbc:sqlite:, jdbc:postgresql:, jdbc:mariadb: or "
                + "jdbc:mysql: URLs, got " + ExploreCommand.shown(url));
    }
}
