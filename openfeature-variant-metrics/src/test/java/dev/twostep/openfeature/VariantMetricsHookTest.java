package dev.twostep.openfeature;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook with the real OpenFeature SDK (its in-memory provider) and Micrometer's real Prometheus registry: what
 * Prometheus would scrape carries the feature and the variant each request was served, in the series the
 * rollout-analyzer's example templates query.
 */
class VariantMetricsHookTest {

    private static final String DOMAIN = "variant-metrics-test";
    private static final String CHECKOUT = "new-checkout";

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new CollectorRegistry(), clock);
    private final VariantRequestMetrics metrics = new VariantRequestMetrics(registry, List.of(Duration.ofMillis(300)));
    private Client client;

    @BeforeEach
    void provider() {
        registry.config().commonTags("app", "checkout");
        // alice is in the new checkout's audience, everyone else is not; the theme serves its "dark" variant.
        Flag<Boolean> checkout = Flag.<Boolean>builder().variant("enabled", true).variant("disabled", false)
                .defaultVariant("disabled")
                .contextEvaluator((flag, context) -> "alice".equals(context.getTargetingKey()))
                .build();
        Flag<String> theme = Flag.<String>builder().variant("classic", "classic").variant("dark", "dark")
                .defaultVariant("dark").build();
        OpenFeatureAPI.getInstance().setProviderAndWait(DOMAIN,
                new InMemoryProvider(Map.of(CHECKOUT, checkout, "theme", theme)));
        client = OpenFeatureAPI.getInstance().getClient(DOMAIN);
        client.addHooks(new VariantMetricsHook());
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void aRequestIsCountedUnderTheVariantOfEveryFlagItWasServed() {
        serve("alice", Duration.ofMillis(450), 500);
        serve("bob", Duration.ofMillis(120), 200);
        serve("carol", Duration.ofMillis(80), 200);

        String scraped = registry.scrape();
        assertThat(sample(scraped, "http_server_requests_seconds_count", Map.of("app", "checkout",
                "feature", CHECKOUT, "variant", "on", "outcome", "SERVER_ERROR"))).contains(1.0);
        assertThat(sample(scraped, "http_server_requests_seconds_count", Map.of("app", "checkout",
                "feature", CHECKOUT, "variant", "off", "outcome", "SUCCESS"))).contains(2.0);
        // "on"/"off" by the boolean served, not the provider's own variant names
        assertThat(scraped).doesNotContain("variant=\"enabled\"").doesNotContain("variant=\"disabled\"");
        // a non-boolean flag is labelled by its variant's name; all three requests were served "dark"
        assertThat(sample(scraped, "http_server_requests_seconds_count", Map.of("feature", "theme",
                "variant", "dark", "outcome", "SUCCESS"))).contains(2.0);
    }

    @Test
    void theLatencyThresholdIsABucketSoASlowShareIsCountMinusBucket() {
        serve("alice", Duration.ofMillis(450), 200);
        serve("alice", Duration.ofMillis(250), 200);
        serve("bob", Duration.ofMillis(299), 200);

        String scraped = registry.scrape();
        Map<String, String> on = Map.of("feature", CHECKOUT, "variant", "on", "outcome", "SUCCESS");
        assertThat(sample(scraped, "http_server_requests_seconds_count", on)).contains(2.0);
        assertThat(sample(scraped, "http_server_requests_seconds_bucket", with(on, "le", "0.3"))).contains(1.0);
        assertThat(sample(scraped, "http_server_requests_seconds_bucket",
                with(Map.of("feature", CHECKOUT, "variant", "off"), "le", "0.3"))).contains(1.0);
    }

    @Test
    void aStartedRequestIsTimedWithTheRegistrysClockAndRecordedWhenClosed() {
        try (VariantRequestMetrics.Request request = metrics.start()) {
            client.getBooleanValue(CHECKOUT, false, new ImmutableContext("alice"));
            clock.add(Duration.ofMillis(700));
            request.status(503);
        }

        String scraped = registry.scrape();
        Map<String, String> on = Map.of("feature", CHECKOUT, "variant", "on", "outcome", "SERVER_ERROR");
        assertThat(sample(scraped, "http_server_requests_seconds_count", on)).contains(1.0);
        assertThat(sample(scraped, "http_server_requests_seconds_bucket", with(on, "le", "0.3"))).contains(0.0);
        assertThat(sample(scraped, "http_server_requests_seconds_sum", on)).contains(0.7);
    }

    @Test
    void aFailedEvaluationCountsTheRequestUnderTheDefaultItWasServed() {
        try (ServedVariants served = ServedVariants.open()) {
            assertThat(client.getBooleanValue("not-defined", false, new ImmutableContext("alice"))).isFalse();
            assertThat(client.getStringValue("no-such-theme", "classic", new ImmutableContext("alice")))
                    .isEqualTo("classic");
            metrics.record(served, Duration.ofMillis(10), 200);
        }

        String scraped = registry.scrape();
        assertThat(sample(scraped, "http_server_requests_seconds_count",
                Map.of("feature", "not-defined", "variant", "off"))).contains(1.0);
        assertThat(sample(scraped, "http_server_requests_seconds_count",
                Map.of("feature", "no-such-theme", "variant", VariantMetricsHook.DEFAULT_VARIANT))).contains(1.0);
    }

    @Test
    void anEvaluationOutsideARequestLabelsNothingAndAClosedScopeRestoresTheOuterOne() {
        client.getBooleanValue(CHECKOUT, false, new ImmutableContext("alice"));
        assertThat(ServedVariants.current()).isEmpty();

        try (ServedVariants outer = ServedVariants.open()) {
            try (ServedVariants inner = ServedVariants.open()) {
                client.getStringValue("theme", "classic", new ImmutableContext("bob"));
                assertThat(inner.byFeature()).containsExactly(Map.entry("theme", "dark"));
            }
            client.getBooleanValue(CHECKOUT, false, new ImmutableContext("alice"));
            assertThat(outer.byFeature()).containsExactly(Map.entry(CHECKOUT, "on"));
        }
        assertThat(ServedVariants.current()).isEmpty();
        assertThat(registry.scrape()).doesNotContain("feature=");
    }

    /** One request of one user: it evaluates both flags, then takes {@code latency} and answers {@code status}. */
    private void serve(String user, Duration latency, int status) {
        try (ServedVariants served = ServedVariants.open()) {
            client.getBooleanValue(CHECKOUT, false, new ImmutableContext(user));
            client.getStringValue("theme", "classic", new ImmutableContext(user));
            metrics.record(served, latency, status);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)} (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one sample of {@code name} whose labels include {@code labels}; empty when none has. */
    private static Optional<Double> sample(String exposition, String name, Map<String, String> labels) {
        Matcher line = SAMPLE.matcher(exposition);
        Optional<Double> found = Optional.empty();
        while (line.find()) {
            if (!line.group(1).equals(name)) {
                continue;
            }
            Map<String, String> present = new TreeMap<>();
            Matcher label = LABEL.matcher(line.group(2));
            while (label.find()) {
                present.put(label.group(1), label.group(2));
            }
            if (present.entrySet().containsAll(labels.entrySet())) {
                assertThat(found).as("one %s sample with %s", name, labels).isEmpty();
                found = Optional.of(Double.parseDouble(line.group(3)));
            }
        }
        return found;
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new TreeMap<>(labels);
        more.put(key, value);
        return more;
    }
}
