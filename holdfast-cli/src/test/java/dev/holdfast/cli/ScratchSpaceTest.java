package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScratchSpaceTest {

    @Test
    void aParameterIsSetOnceAndTheDatabaseIsReplaced() {
        assertThat(ScratchSpace.withParameter("jdbc:postgresql://h/db", "currentSchema", "s"))
                .isEqualTo("jdbc:postgresql://h/db?currentSchema=s");
        assertThat(ScratchSpace.withParameter("jdbc:postgresql://h/db?user=u&currentSchema=old&x=1", "currentSchema",
                "s")).isEqualTo("jdbc:postgresql://h/db?user=u&x=1&currentSchema=s");
        assertThat(ScratchSpace.withDatabase("jdbc:mariadb://h:3306/test?user=root", "scratch"))
                .isEqualTo("jdbc:mariadb://h:3306/scratch?user=root");
        assertThat(ScratchSpace.withDatabase("jdbc:mariadb://h:3306", "scratch"))
                .isEqualTo("jdbc:mariadb://h:3306/scratch");
    }
}
