package dev.holdfast.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CausalTokenTest {
    @Test
    void theTextFormReadsBack() {
        for (String text : new String[] {"pg:0/3016038", "pg:1A/FFFFFFFF", "galera:1234", ""}) {
            assertThat(CausalToken.parse(text).toString()).isEqualTo(text);
        }
        assertThat(CausalToken.parse(null)).isEqualTo(CausalToken.none());
        assertThat(CausalToken.parse("pg:0/abc")).isEqualTo(CausalToken.parse("pg:0/ABC"));
    }

    @Test
    void aLaterPositionCoversAnEarlierOneAndNoneIsCoveredByAll() {
        CausalToken early = CausalToken.parse("pg:0/3016038");
        CausalToken late = CausalToken.parse("pg:1/0"); // the high half counts first
        assertThat(late.covers(early)).isTrue();
        assertThat(early.covers(late)).isFalse();
        assertThat(early.covers(CausalToken.none())).isTrue();
        assertThat(CausalToken.none().covers(early)).isFalse();
        assertThat(early.max(late)).isEqualTo(late);
        assertThat(CausalToken.none().max(early)).isEqualTo(early);
        assertThat(CausalToken.parse("galera:5").covers(CausalToken.parse("pg:0/1"))).isFalse();
    }

    @Test
    void textThatIsNoTokenIsRefusedWithWhatWasExpected() {
        for (String bad : new String[] {"0/3016038", "pg:", "pg:0", "pg:x/1", "pg:100000000/0", "galera:-1", "mysql:5"}) {
            assertThatThrownBy(() -> CausalToken.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad)
                    .hasMessageContaining("db.lastCommit()");
        }
        assertThatThrownBy(() -> CausalToken.parse("pg:0/1").max(CausalToken.parse("galera:1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
