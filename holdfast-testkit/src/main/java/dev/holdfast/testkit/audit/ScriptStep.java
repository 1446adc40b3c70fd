package dev.holdfast.testkit.audit;

import java.util.Locale;

/** One line of a Hermitage script: a transaction and the statement it sends ({@code commit}/{@code rollback} too). */
record ScriptStep(String session, String sql) {

    boolean isCommit() {
        return sql.strip().toLowerCase(Locale.ROOT).equals("commit");
    }

    boolean isRollback() {
        String s = sql.strip().toLowerCase(Locale.ROOT);
        return s.equals("rollback") || s.equals("abort");
    }
}
