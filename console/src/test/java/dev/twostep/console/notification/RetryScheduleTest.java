package dev.twostep.console.notification;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    @Test
    void doublesFromTheFirstWaitUpToTheCapThenGivesUp() {
        RetrySchedule schedule = new RetrySchedule(8, Duration.ofSeconds(10), Duration.ofMinutes(10));

        assertThat(IntStream.rangeClosed(1, 7).mapToObj(schedule::delayAfter).map(delay -> delay.orElseThrow()
                .toSeconds()).toList()).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 600L);
        assertThat(schedule.delayAfter(8)).isEmpty();
        assertThat(schedule.delayAfter(9)).isEmpty();
    }

    @Test
    void aVeryLateAttemptWaitsTheCapWithoutOverflowing() {
        RetrySchedule schedule = new RetrySchedule(10_000, Duration.ofSeconds(1), Duration.ofMinutes(5));

        assertThat(schedule.delayAfter(9_999)).hasValue(Duration.ofMinutes(5));
    }

    @Test
    void oneAttemptMeansNoRetry() {
        assertThat(new RetrySchedule(1, Duration.ofSeconds(1), Duration.ofSeconds(1)).delayAfter(1)).isEmpty();
    }

    @Test
    void refusesASenselessSchedule() {
        assertThatThrownBy(() -> new RetrySchedule(0, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
