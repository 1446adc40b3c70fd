package dev.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpExitsZeroAndAnUnknownOptionExitsTwo() {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("--no-such-option")).isEqualTo(2);
    }
}
