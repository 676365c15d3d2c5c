package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.testing.MappedConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.twostep.testing.MappedConfig.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class PrometheusConfigTest {

    @Test
    void anAnalyzerThatSetsNothingReadsEachGuardEveryTenSeconds() {
        PrometheusConfig config = MappedConfig.of(PrometheusConfig.class, Map.of());
        assertThat(config.url()).isEmpty();
        assertThat(config.pollEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aPeriodThatIsNotPositiveStopsTheStartNamingTheKey() {
        assertRefused(PrometheusConfig.class, "twostep.analyzer.prometheus.poll-every", "0s",
                "must be a positive duration");
        assertRefused(PrometheusConfig.class, "twostep.analyzer.prometheus.timeout", "-5s",
                "must be a positive duration");
    }
}
