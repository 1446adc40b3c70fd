package dev.holdfast.internal.sqlite;

import dev.holdfast.Database;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM by {@link SqliteCrashTest}: writes through the group-commit writer from several threads and, only
 * after {@code transact} returned, appends each acknowledged id to a side file. The parent kills this process with
 * SIGKILL while it runs; every id in the side file must then be in the database.
 */
public final class SqliteCrashChild {
    private SqliteCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String dbFile = args[0];
        String ackFile = args[1];
        int threads = Integer.parseInt(args[2]);
        Database db = Database.open("jdbc:sqlite:" + dbFile);
        db.execute("create table if not exists acked(id integer primary key, payload text not null)");
        AtomicLong ids = new AtomicLong();
        FileOutputStream acks = new FileOutputStream(ackFile, true);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (true) {
                    long id = ids.incrementAndGet();
                    db.transact(tx -> tx.execute("insert into acked(id, payload) values (?, ?)", id, "x".repeat(64)));
                    byte[] line = (id + "\n").getBytes(StandardCharsets.US_ASCII);
                    try {
                        synchronized (acks) {
                            acks.write(line);   // an unbuffered write: in the kernel when it returns, SIGKILL or not
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "crash-writer-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
