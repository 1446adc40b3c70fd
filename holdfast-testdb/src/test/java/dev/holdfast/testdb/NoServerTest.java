package dev.holdfast.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a user sees with no server configured and no holdfast-testdb-embedded on the classpath. Runs in its own
 * surefire execution with HOLDFAST_PG_URL and HOLDFAST_MARIADB_URL blank (see this module's pom).
 */
class NoServerTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRES", "MARIADB"})
    void aMissingServerIsOneLineNamingTheVariableAndTheEmbeddedArtifact(DatabaseKind kind) {
        assertNull(Server.configured(kind), "this execution must run without a configured " + kind);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestDatabases.fresh(kind));
        String message = e.getMessage();
        String variable = kind == DatabaseKind.POSTGRES ? "HOLDFAST_PG_URL" : "HOLDFAST_MARIADB_URL";
        assertTrue(message.contains("set " + variable + " (e.g. export " + variable + "='jdbc:"), message);
        assertTrue(message.contains("holdfast-test.properties"), message);
        assertTrue(message.contains("dev.holdfast:holdfast-testdb-embedded"), message);
        assertFalse(message.contains("\n"), "one line: " + message);
        // asked again: the same answer at once, not a second attempt
        assertEquals(message, assertThrows(IllegalStateException.class, () -> TestDatabases.fresh(kind)).getMessage());
    }

    @Test
    void aPropertiesFileOnTheTestClasspathNamesTheServer(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("holdfast-test.properties"), """
                holdfast.mariadb.url=jdbc:mariadb://db.example:3306/test
                holdfast.mariadb.user=app
                holdfast.mariadb.password=s3cret
                """);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            Server server = Server.configured(DatabaseKind.MARIADB);
            assertEquals("jdbc:mariadb://db.example:3306/test?user=app&password=s3cret", server.url().toString());
            assertEquals("app", server.user());
            assertTrue(server.describe().contains("holdfast.mariadb.url in holdfast-test.properties"), server.describe());
            assertFalse(server.describe().contains("s3cret"), server.describe());
            assertNull(Server.configured(DatabaseKind.POSTGRES), "the file names no PostgreSQL");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aSystemPropertyNamesTheServer() {
        System.setProperty("holdfast.pg.url", "jdbc:postgresql://db.example:5432/test?user=app");
        try {
            Server server = Server.configured(DatabaseKind.POSTGRES);
            assertEquals("app", server.user());
            assertTrue(server.describe().contains("system property holdfast.pg.url"), server.describe());
        } finally {
            System.clearProperty("holdfast.pg.url");
        }
    }
}
