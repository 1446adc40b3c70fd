package dev.holdfast.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** 8 workers (two Tasks of 4 threads each), 1,000 short tasks: each runs exactly once, none is lost. */
class ExactlyOnceTest {
    record One(int n) {
    }

    @EachDatabase
    void eightWorkersRunEachOfAThousandTasksExactlyOnce(TestDatabase t) throws Exception {
        try (Database db = TestDb.open(t)) {
            TestDb.createEffects(db);
            List<Tasks> all = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Tasks tasks = Tasks.builder(db).workerName("w" + w).pollEvery(Duration.ofMillis(20)).build();
                String name = "w" + w;
                tasks.register("short", One.class, (ctx, s) -> ctx.transact(tx -> {
                    tx.execute("insert into effect (task_id, step, worker) values (?, ?, ?)", ctx.id().value(),
                            s.n(), name);
                    return new One(s.n() + 1);
                }));
                all.add(tasks);
            }
            all.forEach(tasks -> tasks.start(4));
            Set<TaskId> ids = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                ids.add(all.get(i % 2).submit("short", new One(0)));
            }
            try {
                TestDb.await("1,000 tasks to succeed", Duration.ofMinutes(3), () -> db.queryScalar(Long.class,
                        "select count(*) from holdfast_task where state = 'SUCCEEDED'") == 1_000);
            } finally {
                all.forEach(Tasks::close);
            }
            assertThat(ids).hasSize(1_000);
            assertThat(db.queryScalar(Long.class, "select count(*) from effect")).isEqualTo(1_000L);
            assertThat(db.query(rs -> rs.getString(1), "select task_id from effect group by task_id "
                    + "having count(*) > 1")).as("tasks whose step ran twice").isEmpty();
            Set<String> ran = new HashSet<>(db.query(rs -> rs.getString(1), "select task_id from effect"));
            assertThat(ran).containsExactlyInAnyOrderElementsOf(ids.stream().map(TaskId::value).toList());
            for (TaskId id : ids.stream().limit(20).toList()) {
                assertThat(all.get(0).lastCheckpoint(id, One.class)).isEqualTo(new One(1));
            }
            assertThat(db.query(rs -> rs.getString(1), "select distinct worker from effect")).hasSize(2);
        }
    }
}
