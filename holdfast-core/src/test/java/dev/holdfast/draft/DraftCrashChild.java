package dev.holdfast.draft;

import dev.holdfast.Database;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM by {@link DraftCrashTest}: records one operation after another on a draft and, only after the
 * call returned, appends the operation's number to a side file. The parent kills this process with SIGKILL while it
 * runs; every number in the side file must then be in the resumed draft.
 */
public final class DraftCrashChild {
    private DraftCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Database.Builder b = Database.builder(args[0]);
        if (!args[1].isEmpty()) {
            b.user(args[1]);
        }
        if (!args[2].isEmpty()) {
            b.password(args[2]);
        }
        Database db = b.build();
        Draft draft = Drafts.on(db).resume(args[3]);
        try (FileOutputStream acks = new FileOutputStream(args[4], true)) {
            for (int i = 1; ; i++) {
                int stock = i;
                draft.modify(Catalogue.Product.class, 1L, p -> p.withStock(stock));
                acks.write((i + "\n").getBytes(StandardCharsets.US_ASCII));   // unbuffered: in the kernel on return
            }
        }
    }
}
