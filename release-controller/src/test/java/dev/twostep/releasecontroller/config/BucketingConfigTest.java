package dev.twostep.releasecontroller.config;

import dev.twostep.releasecontroller.release.Bucketing;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The setting as SmallRye Config reads it at start, without Quarkus. */
class BucketingConfigTest {

    private static BucketingConfig read(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(BucketingConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(BucketingConfig.class);
    }

    @Test
    void theHighPrecisionSchemeUnlessTheInstallationChoosesTheLegacyOne() {
        assertThat(read(Map.of()).bucketing()).isEqualTo(Bucketing.FLAGD_FRACTIONAL);
        assertThat(read(Map.of("twostep.release.bucketing", "flagd-fractional-legacy")).bucketing())
                .isEqualTo(Bucketing.FLAGD_FRACTIONAL_LEGACY);
    }

    @Test
    void anyOtherValueStopsTheStartNamingTheKeyAndTheAllowedValues() {
        assertThatThrownBy(() -> read(Map.of("twostep.release.bucketing", "legacy")))
                .hasMessageContaining("twostep.release.bucketing").hasMessageContaining("flagd-fractional-legacy");
    }
}
