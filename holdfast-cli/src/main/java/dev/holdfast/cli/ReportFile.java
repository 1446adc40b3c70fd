package dev.holdfast.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Where {@code --out} writes: checked before the command runs, so a long audit never ends in "cannot write". */
final class ReportFile {
    private ReportFile() {}

    /** Refuses, as a usage error, a file that could not be written later; {@code null} (standard output) passes. */
    static void checkWritable(CommandLine command, Path out) {
        if (out == null) {
            return;
        }
        Path absolute = out.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ParameterException(command, "--out " + out + ": the directory " + dir
                    + " does not exist; create it first or write the report elsewhere");
        }
        if (Files.isDirectory(absolute)) {
            throw new ParameterException(command, "--out " + out + " is a directory; name a file in it, e.g. "
                    + absolute.resolve("report"));
        }
        if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(dir)) {
            throw new ParameterException(command, "--out " + out + " cannot be written (permissions); "
                    + "choose another file");
        }
    }

    /** Writes {@code report} to {@code out}, or to standard output when {@code out} is null, and says where on stderr. */
    static void write(CommandLine command, Path out, String report, String what) throws IOException {
        if (out == null) {
            PrintWriter w = command.getOut();
            w.print(report);
            w.flush();
        } else {
            Files.writeString(out, report, StandardCharsets.UTF_8);
            command.getErr().println("holdfast: wrote the " + what + " to " + out);
        }
    }
}
