package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** A task splits into parts that workers of two Tasks run concurrently; it waits without a thread and counts them. */
class PartsTest {
    static final int PARTS = 40;

    record Album(int photos, boolean split) {
    }

    record Photo(int n) {
    }

    @EachDatabase
    void aParentWaitsForItsPartsAndCountsThemInItsProgress(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch go = new CountDownLatch(1);
            Tasks a = tasks(db, "a", go);
            Tasks b = tasks(db, "b", go);
            a.start(2);
            b.start(2);
            try {
                TaskId album = a.submit("album", new Album(PARTS, false));
                TestDb.await("the album to wait for its parts", Duration.ofMinutes(1), () -> {
                    TaskStatus s = a.status(album);
                    return s.state() == TaskState.WAITING && s.total() == PARTS;
                });
                assertThat(a.status(album).worker()).as("a waiting parent holds no worker").isNull();
                go.countDown();
                TestDb.await("the album to succeed", Duration.ofMinutes(2),
                        () -> a.status(album).state() == TaskState.SUCCEEDED);
                TaskStatus s = a.status(album);
                assertThat(s.done()).isEqualTo(PARTS);
                assertThat(s.total()).isEqualTo(PARTS);
                List<String> effects = db.query(rs -> rs.getString(1), "select task_id from effect where step >= 0");
                assertThat(effects).hasSize(PARTS).doesNotHaveDuplicates();
                assertThat(db.queryScalar(Long.class, "select count(*) from effect where step = -1 and task_id = ?",
                        album.value())).as("the parent's last step, once").isEqualTo(1L);
                assertThat(db.queryScalar(Long.class, "select count(*) from holdfast_task where parent_id = ? and "
                        + "state = 'SUCCEEDED'", album.value())).isEqualTo(PARTS);
            } finally {
                go.countDown();
                a.close();
                b.close();
            }
        }
    }

    @EachDatabase
    void cancellingAParentCancelsItsParts(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            CountDownLatch go = new CountDownLatch(1);
            Tasks a = tasks(db, "a", go);
            a.start(3);
            try {
                TaskId album = a.submit("album", new Album(10, false));
                TestDb.await("three parts to be running", Duration.ofMinutes(1), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where parent_id = ? and state = 'RUNNING'",
                        album.value()) == 3);
                assertThat(a.cancel(album)).isTrue();
                go.countDown();
                TestDb.await("every part to be finished", Duration.ofMinutes(1), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where parent_id = ? and state <> 'CANCELLED'",
                        album.value()) == 0);
                assertThat(a.status(album).state()).isEqualTo(TaskState.CANCELLED);
            } finally {
                go.countDown();
                a.close();
            }
        }
    }

    private static Tasks tasks(Database db, String name, CountDownLatch go) {
        Tasks tasks = Tasks.builder(db).workerName(name).pollEvery(Duration.ofMillis(20)).build();
        tasks.register("album", Album.class, (ctx, album) -> {
            if (!album.split()) {
                List<Photo> photos = IntStream.range(0, album.photos()).mapToObj(Photo::new).toList();
                album = ctx.split("photo", photos, new Album(album.photos(), true));
            }
            Parts parts = ctx.awaitParts();
            assertThat(parts.succeeded()).isEqualTo(album.photos());
            ctx.transact(tx -> {
                tx.execute("insert into effect (task_id, step, worker) values (?, -1, ?)", ctx.id().value(), name);
                return new Album(parts.total(), true);
            });
        });
        tasks.register("photo", Photo.class, (ctx, photo) -> {
            assertThat(go.await(2, TimeUnit.MINUTES)).isTrue();
            ctx.transact(tx -> {
                tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(), photo.n(),
                        name);
                return photo;
            });
        });
        return tasks;
    }
}
