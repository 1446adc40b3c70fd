package dev.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {

    @Test
    void delaysGrowExponentiallyUpToTheCapWithFullJitter() {
        Retry r = Retry.exponential(10, Duration.ofMillis(10), Duration.ofMillis(100));
        for (int i = 0; i < 1000; i++) {
            assertThat(r.delayAfter(1)).isBetween(Duration.ZERO, Duration.ofMillis(10));
            assertThat(r.delayAfter(3)).isBetween(Duration.ZERO, Duration.ofMillis(40));
            assertThat(r.delayAfter(9)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        }
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            max = Math.max(max, r.delayAfter(9).toMillis());
        }
        assertThat(max).as("jitter spreads delays up to the cap").isGreaterThan(50);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Retry.exponential(0, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maxAttempts >= 1");
        assertThatThrownBy(() -> Retry.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("base <= cap");
        assertThat(Retry.none().maxAttempts()).isEqualTo(1);
    }
}
