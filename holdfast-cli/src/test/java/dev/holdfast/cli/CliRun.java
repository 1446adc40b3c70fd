package dev.holdfast.cli;

import dev.holdfast.testdb.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code holdfast} command in this JVM for the CLI tests, with the test database's connection options. */
final class CliRun {
    private CliRun() {
    }

    static List<String> args(TestDatabase db, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--url", db.url()));
        if (db.user() != null) {
            args.addAll(List.of("--user", db.user()));
        }
        if (db.password() != null && !db.password().isEmpty()) {
            args.addAll(List.of("--password", db.password()));
        }
        return args;
    }

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    static Outcome holdfast(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
