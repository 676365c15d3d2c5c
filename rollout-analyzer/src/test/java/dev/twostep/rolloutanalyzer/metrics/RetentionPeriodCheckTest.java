package dev.twostep.rolloutanalyzer.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetentionPeriodCheckTest {

    @Test
    void aZeroOrNegativePeriodIsRefusedWithTheSettingAndTheRule() {
        for (Duration nonsense : new Duration[] {Duration.ZERO, Duration.ofDays(-30), Duration.ofNanos(-1)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> SampleRetention.check(nonsense))
                    .withMessageStartingWith("twostep.analyzer.samples.retention must be a positive duration")
                    .withMessageContaining("kept that long after the last rollout of their feature")
                    .withMessageEndingWith("not " + nonsense);
        }
    }

    @Test
    void aPositivePeriodIsAccepted() {
        assertThatCode(() -> SampleRetention.check(Duration.ofDays(30))).doesNotThrowAnyException();
        assertThatCode(() -> SampleRetention.check(Duration.ofNanos(1))).doesNotThrowAnyException();
    }
}
