package dev.twostep.testing;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code @ConfigMapping} read from the given properties as a service's startup reads it, without Quarkus: Quarkus's
 * converters ({@code 10s}, {@code 1M}), the mapping's defaults, then Bean Validation of every value. A bad value
 * throws {@link ConfigValidationException}, whose message names the key and the rule it broke.
 */
public final class MappedConfig {

    private MappedConfig() {
    }

    public static <T> T of(Class<T> mapping, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(properties, "test properties", 250))
                .withMapping(mapping)
                .withValidator(new BeanValidationConfigValidatorImpl())
                .build()
                .getConfigMapping(mapping);
    }

    /** Asserts that {@code key=value} stops the start, with a message that names the key and then {@code rule}. */
    public static void assertRefused(Class<?> mapping, String key, String value, String rule) {
        assertThatThrownBy(() -> of(mapping, Map.of(key, value)))
                .as("%s=%s", key, value)
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(key + " " + rule);
    }
}
