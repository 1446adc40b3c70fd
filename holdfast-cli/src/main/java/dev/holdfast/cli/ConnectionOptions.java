package dev.holdfast.cli;

import picocli.CommandLine.Option;

/** The options that say which database a command works on; shared by {@code audit} and {@code explore}. */
final class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "JDBC URL: jdbc:postgresql://host/db, jdbc:mariadb://host/db (or jdbc:mysql:), "
                    + "jdbc:sqlite:file. Default: a new SQLite file in a temporary directory.")
    String url;

    @Option(names = "--user", paramLabel = "U", description = "User name, when not in the URL.")
    String user;

    @Option(names = "--password", paramLabel = "P", description = "Password, when not in the URL.")
    String password;
}
