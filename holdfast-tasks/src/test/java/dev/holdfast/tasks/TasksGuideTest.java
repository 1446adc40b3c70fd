package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/** The examples of docs/tasks.md, as they appear there, run on every database. */
class TasksGuideTest {
    // --- docs/tasks.md: "A task in five minutes"
    record ImportState(int nextRow) {
    }

    static void registerImport(Tasks tasks) {
        tasks.register("import", ImportState.class, (ctx, state) -> {
            for (int row = state.nextRow(); row < 100; row++) {
                int r = row;
                state = ctx.transact(tx -> {                        // the step's writes and its checkpoint: one commit
                    tx.execute("insert into imported (row_no) values (?)", r);
                    return new ImportState(r + 1);
                });
                ctx.progress(r + 1, 100, "rows imported");
            }
        });
    }

    // --- docs/tasks.md: "Parts"
    record Album(List<Integer> photoIds, boolean split) {
    }

    record Photo(int id) {
    }

    static void registerAlbum(Tasks tasks) {
        tasks.register("resize-album", Album.class, (ctx, album) -> {
            if (!album.split()) {
                List<Photo> photos = album.photoIds().stream().map(Photo::new).toList();
                album = ctx.split("resize-photo", photos, new Album(album.photoIds(), true));
            }
            Parts parts = ctx.awaitParts();                        // the task WAITs here until every part is finished
            if (parts.failed() > 0) {
                throw new IllegalStateException(parts.failed() + " photos could not be resized");
            }
        });
        tasks.register("resize-photo", Photo.class, (ctx, photo) -> ctx.transact(tx -> {
            tx.execute("update photo set resized = 1 where id = ?", photo.id());
            return photo;
        }));
    }

    @EachDatabase
    void theGuideRuns(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            db.execute("create table imported (row_no int not null)");   // two imports below write the same rows
            db.execute("create table photo (id int primary key, resized int not null)");
            for (int i = 0; i < 12; i++) {
                db.execute("insert into photo (id, resized) values (?, 0)", i);
            }

            Tasks tasks = Tasks.open(db);                            // creates holdfast_task when it is missing
            registerImport(tasks);
            registerAlbum(tasks);
            tasks.start(4);                                          // 4 worker threads in this process

            TaskId id = tasks.submit("import", new ImportState(0)); // from any thread or process
            TaskId same = tasks.submit("import", new ImportState(0), "import:customers.csv");
            TaskId again = tasks.submit("import", new ImportState(0), "import:customers.csv");
            assertThat(again).isEqualTo(same);

            // Enqueue with your own writes: the task exists if and only if this transaction commits.
            TaskId album = db.transact(tx -> {
                tx.execute("update photo set resized = 0 where id < ?", 12);
                return tasks.submit("resize-album", new Album(IntStream.range(0, 12).boxed().toList(), false));
            });

            TaskStatus s = tasks.status(id);                         // read from the database, every call
            System.out.println(s.state() + " " + s.done() + "/" + s.total() + " " + s.message());

            TestDb.await("the guide's tasks", Duration.ofMinutes(2), () -> tasks.status(id).state().isFinal()
                    && tasks.status(same).state().isFinal() && tasks.status(album).state().isFinal());
            tasks.close();                                           // running tasks stop at their next checkpoint
            assertThat(tasks.status(id).state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(tasks.status(album).state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(tasks.status(album).done()).isEqualTo(12);
            assertThat(db.queryScalar(Long.class, "select count(*) from imported")).isEqualTo(200L);   // two imports of 100 rows, each once
            assertThat(db.queryScalar(Long.class, "select count(*) from photo where resized = 1")).isEqualTo(12L);
            assertThat(tasks.lastCheckpoint(id, ImportState.class)).isEqualTo(new ImportState(100));
        }
    }
}
