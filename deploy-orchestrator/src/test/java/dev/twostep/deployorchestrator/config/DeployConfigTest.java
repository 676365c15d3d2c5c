package dev.twostep.deployorchestrator.config;

import dev.twostep.testing.MappedConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.twostep.testing.MappedConfig.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class DeployConfigTest {

    @Test
    void anOrchestratorThatSetsNothingGivesTargetsTenMinutes() {
        DeployConfig config = MappedConfig.of(DeployConfig.class, Map.of());
        assertThat(config.externalTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.kubernetes().timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.kubernetes().masterUrl()).isEmpty();
        assertThat(config.superviseEvery()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aTimeoutThatIsNotPositiveStopsTheStartNamingTheKey() {
        assertRefused(DeployConfig.class, "twostep.deploy.kubernetes.timeout", "0s", "must be a positive duration");
        assertRefused(DeployConfig.class, "twostep.deploy.external-timeout", "-1m", "must be a positive duration");
    }
}
