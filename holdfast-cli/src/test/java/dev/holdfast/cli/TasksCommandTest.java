package dev.holdfast.cli;

import static dev.holdfast.cli.CliRun.args;
import static dev.holdfast.cli.CliRun.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.tasks.TaskId;
import dev.holdfast.tasks.Tasks;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code holdfast tasks} lists real tasks of a real database, as text and as a self-contained HTML page. */
class TasksCommandTest {
    record Rows(int next) {
    }

    @EachDatabase
    void listsStateAndProgressAsTextAndHtml(TestDatabase t, @TempDir Path dir) throws Exception {
        TaskId half;
        TaskId failed;
        try (Database db = open(t)) {
            Tasks tasks = Tasks.builder(db).maxAttempts(1).build();
            tasks.register("import", Rows.class, (ctx, s) -> {
                ctx.progress(3, 10, "three of ten rows");
                throw new IllegalStateException("row 4 is not a number");
            });
            tasks.register("report", Rows.class, (ctx, s) -> ctx.progress(5, 10, "half way"));
            failed = tasks.submit("import", new Rows(0));
            half = tasks.submit("report", new Rows(0));
            assertThat(tasks.runOne()).isTrue();
            assertThat(tasks.runOne()).isTrue();
            TaskId paused = tasks.submit("report", new Rows(0));
            tasks.pause(paused);
        }
        CliRun.Outcome text = holdfast(args(t, "tasks"));
        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).contains(failed.value()).contains("FAILED").contains("[######..............]  30%")
                .contains("java.lang.IllegalStateException: row 4 is not a number")
                .contains(half.value()).contains("SUCCEEDED").contains("[####################] 100%")
                .contains("PAUSED");

        Path page = dir.resolve("tasks.html");
        CliRun.Outcome html = holdfast(args(t, "tasks", "--format", "html", "--out", page.toString()));
        assertThat(html.exitCode()).as(html.stderr()).isZero();
        String body = Files.readString(page);
        assertThat(body).startsWith("<!DOCTYPE html>").contains(failed.value()).contains("width:30.0%")
                .contains("row 4 is not a number").doesNotContain("<script").doesNotContain("src=")
                .doesNotContain("<link");
    }

    @EachDatabase
    void aDatabaseWithoutTasksIsAClearError(TestDatabase t) {
        CliRun.Outcome o = holdfast(args(t, "tasks"));
        assertThat(o.exitCode()).isEqualTo(1); // ran and failed (docs/explore.md: 0 ran, 1 failed, 2 usage)
        assertThat(o.stderr()).contains("holdfast_task").contains("Tasks.open creates the table");
    }

    @Test
    void withoutUrlItSaysWhatItNeeds() {
        CliRun.Outcome o = holdfast(List.of("tasks"));
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).contains("needs --url");
    }

    private static Database open(TestDatabase t) {
        Database.Builder b = Database.builder(t.url());
        if (t.user() != null) {
            b.user(t.user());
        }
        if (t.password() != null) {
            b.password(t.password());
        }
        return b.build();
    }
}
