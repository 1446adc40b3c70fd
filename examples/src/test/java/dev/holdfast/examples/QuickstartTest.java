package dev.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.Database;
import dev.holdfast.testdb.EachDatabase;
import dev.holdfast.testdb.TestDatabase;

class QuickstartTest {

    @EachDatabase
    void noVisitAndNoRenameIsLost(TestDatabase t) throws Exception {
        try (Database db = Database.builder(t.url()).user(t.user()).password(t.password()).build()) {
            Quickstart.Page page = Quickstart.run(db);
            assertThat(page.visits()).isEqualTo(8_000);
            assertThat(page.title()).isEqualTo("Home page");
            assertThat(page.version()).isEqualTo(8_001);
        }
    }
}
