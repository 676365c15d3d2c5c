package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.testing.MappedConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.twostep.testing.MappedConfig.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class RetentionPeriodCheckTest {

    private static final String PERIOD = "twostep.analyzer.samples.retention";

    @Test
    void aZeroOrNegativePeriodIsRefusedWithTheSettingAndTheRule() {
        for (String nonsense : new String[] {"PT0S", "-P30D", "-PT0.000000001S"}) {
            assertRefused(SampleRetentionConfig.class, PERIOD, nonsense, "must be a positive duration such as P30D");
        }
    }

    @Test
    void aPositivePeriodIsAcceptedAndThirtyDaysIsTheDefault() {
        assertThat(MappedConfig.of(SampleRetentionConfig.class, Map.of(PERIOD, "PT0.000000001S")).retention())
                .isEqualTo(Duration.ofNanos(1));
        assertThat(MappedConfig.of(SampleRetentionConfig.class, Map.of()).retention()).isEqualTo(Duration.ofDays(30));
    }
}
