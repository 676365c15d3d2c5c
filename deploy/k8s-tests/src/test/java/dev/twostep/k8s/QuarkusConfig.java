package dev.twostep.k8s;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a service's Quarkus reads for a property in its pod, in Quarkus' order: the container's environment
 * (QUARKUS_SHUTDOWN_TIMEOUT for quarkus.shutdown.timeout), then application.properties, its %prod. key first.
 */
record QuarkusConfig(ServicePod pod, Properties properties) {

    private static final Pattern DIGITS = Pattern.compile("[-+]?\\d+");
    private static final Pattern MILLIS = Pattern.compile("(?i)[-+]?\\d+ms");
    private static final Pattern DIGITS_AND_UNIT = Pattern.compile("(?i)(?:[-+]?\\d+(?:\\.\\d+)?[hms])+");
    private static final Pattern DAYS = Pattern.compile("(?i)(?:[-+]?\\d+(?:\\.\\d+)?d)+");

    static QuarkusConfig of(ServicePod pod, ServiceModule service) {
        return new QuarkusConfig(pod, service.properties());
    }

    /** The environment variable Quarkus reads a property from: upper case, every other character an underscore. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    Optional<String> value(String property) {
        ServicePod.EnvValue fromEnvironment = pod.environment().get(environmentName(property));
        if (fromEnvironment instanceof ServicePod.Literal literal) {
            return Optional.of(literal.value());
        }
        if (fromEnvironment != null) {
            throw new AssertionError(pod.deployment() + " sets " + environmentName(property) + " from " + fromEnvironment
                    + ", which cannot be read offline");
        }
        String forProd = properties.getProperty("%prod." + property);
        return Optional.ofNullable(forProd != null ? forProd : properties.getProperty(property));
    }

    /** A duration as Quarkus converts it: 20 (seconds), 500ms, 20s, 1m30s, 2d, or ISO-8601 (PT20S). */
    static Duration duration(String value) {
        String trimmed = value.trim();
        if (DIGITS.matcher(trimmed).matches()) {
            return Duration.ofSeconds(Long.parseLong(trimmed));
        }
        if (MILLIS.matcher(trimmed).matches()) {
            return Duration.ofMillis(Long.parseLong(trimmed.substring(0, trimmed.length() - 2)));
        }
        if (DIGITS_AND_UNIT.matcher(trimmed).matches()) {
            return Duration.parse("PT" + trimmed);
        }
        if (DAYS.matcher(trimmed).matches()) {
            return Duration.parse("P" + trimmed);
        }
        return Duration.parse(trimmed);
    }
}
