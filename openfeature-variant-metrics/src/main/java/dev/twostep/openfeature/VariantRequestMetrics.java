package dev.twostep.openfeature;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An application's request timer labelled with the feature and the variant each request was served: one
 * {@link Timer} sample per feature the request evaluated, tagged {@code feature}, {@code variant} and
 * {@code outcome} (Micrometer's {@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}, ...). With the
 * default name, Micrometer's Prometheus registry writes {@code http_server_requests_seconds_count} and
 * {@code http_server_requests_seconds_bucket{le="0.3"}} (one bucket per latency threshold), which is what the
 * rollout-analyzer's example templates query: {@code errorRate} as {@code outcome="SERVER_ERROR"} over the count,
 * {@code latency} as the threshold's bucket over the count. Give the application's name as a common tag
 * ({@code registry.config().commonTags("app", "checkout")}).
 *
 * <p>A request that evaluated no flag is not recorded here: every series is about a feature. A framework that
 * already times {@code http.server.requests} with other tags (Spring, Quarkus) cannot share the name in a
 * Prometheus registry, which wants one set of tag keys per name; give this one another name then and use it in the
 * guard's templates.
 */
public final class VariantRequestMetrics {

    public static final String DEFAULT_NAME = "http.server.requests";

    private final MeterRegistry registry;
    private final String name;
    private final Duration[] latencyThresholds;

    /**
     * @param latencyThresholds the latencies a {@code latency} guard may judge against: each becomes a histogram
     *                          bucket ({@code le}), so "slower than 300 ms" is the count minus the 0.3 s bucket
     */
    public VariantRequestMetrics(MeterRegistry registry, String name, List<Duration> latencyThresholds) {
        this.registry = registry;
        this.name = name;
        this.latencyThresholds = latencyThresholds.toArray(Duration[]::new);
    }

    public VariantRequestMetrics(MeterRegistry registry, List<Duration> latencyThresholds) {
        this(registry, DEFAULT_NAME, latencyThresholds);
    }

    /** Records a request that took {@code latency} and answered {@code status}, once per feature it was served. */
    public void record(ServedVariants served, Duration latency, int status) {
        String outcome = Outcome.forStatus(status).name();
        for (Map.Entry<String, String> feature : served.byFeature().entrySet()) {
            Timer.builder(name)
                    .description("requests by the feature's variant served")
                    .tags("feature", feature.getKey(), "variant", feature.getValue(), "outcome", outcome)
                    .serviceLevelObjectives(latencyThresholds)
                    .register(registry)
                    .record(latency);
        }
    }

    /**
     * Opens the variants scope of a request handled on this thread and times it with the registry's clock:
     * {@code try (var request = metrics.start()) { ...evaluate, handle...; request.status(code); }}.
     */
    public Request start() {
        return new Request(ServedVariants.open(), registry.config().clock().monotonicTime());
    }

    /** One request being handled; closing it records it (status 200 unless told otherwise). */
    public final class Request implements AutoCloseable {

        private final ServedVariants served;
        private final long startNanos;
        private int status = 200;

        private Request(ServedVariants served, long startNanos) {
            this.served = served;
            this.startNanos = startNanos;
        }

        public void status(int status) {
            this.status = status;
        }

        @Override
        public void close() {
            served.close();
            record(served, Duration.ofNanos(registry.config().clock().monotonicTime() - startNanos), status);
        }
    }
}
