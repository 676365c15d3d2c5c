package dev.twostep.cli.demo;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.sun.net.httpserver.HttpServer;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.twostep.openfeature.ServedVariants;
import dev.twostep.openfeature.VariantMetricsHook;
import dev.twostep.openfeature.VariantRequestMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The simulated application as a real one would be instrumented for Prometheus guards: it evaluates its flags through
 * the OpenFeature SDK (the OFREP provider, with the application's API key), {@link VariantMetricsHook} notes the
 * variant each user was served, and every simulated request lands in Micrometer's
 * {@code http_server_requests_seconds} timer labelled {@code app}, {@code feature}, {@code variant} and
 * {@code outcome}, with a bucket at {@link #SLOW}. Prometheus scrapes it at {@code http://127.0.0.1:<port>/metrics}.
 */
public final class ScrapedRequestMetrics implements AutoCloseable {

    /** The latency threshold the demo's latency guard judges: "slower than 300 ms". */
    static final Duration SLOW = Duration.ofMillis(300);

    /** What one simulated user was served: each flag's value, and the variants to label their requests with. */
    record Served(Map<String, Boolean> flags, ServedVariants variants) {
    }

    private final PrometheusMeterRegistry registry;
    private final VariantRequestMetrics requests;
    private final HttpServer server;
    /** The OpenFeature domain of this simulator's provider, its own so that two simulators in one JVM stay apart. */
    private final String domain = "twostep-traffic-" + UUID.randomUUID();
    private final Client client;
    private final List<String> features;
    private final String environment;

    private ScrapedRequestMetrics(PrometheusMeterRegistry registry, HttpServer server, FeatureProvider provider,
                                  List<String> features, String environment) {
        this.registry = registry;
        this.requests = new VariantRequestMetrics(registry, List.of(SLOW));
        this.server = server;
        this.features = List.copyOf(features);
        this.environment = environment;
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
        this.client = OpenFeatureAPI.getInstance().getClient(domain);
        client.addHooks(new VariantMetricsHook());
    }

    /**
     * Serves {@code application}'s request metrics on {@code port} (0: any free one); its users' {@code features}
     * are evaluated over OFREP at {@code releaseController} with {@code apiKey}.
     */
    public static ScrapedRequestMetrics serve(int port, String application, String environment,
                                              List<String> features, URI releaseController, String apiKey) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("app", application);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the simulator's metrics on port " + port
                    + " (TWOSTEP_DEMO_METRICS_PORT)", e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        FeatureProvider provider = OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl(releaseController.toString())
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + apiKey)))
                .build());
        return new ScrapedRequestMetrics(registry, server, provider, features, environment);
    }

    /** Where Prometheus scrapes. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    /** One user's flags, evaluated one by one through the SDK so that the hook sees each. */
    Served evaluate(String user) {
        ImmutableContext context = new ImmutableContext(user, Map.of("environment", new Value(environment)));
        Map<String, Boolean> flags = new LinkedHashMap<>();
        try (ServedVariants served = ServedVariants.open()) {
            for (String feature : features) {
                flags.put(feature, client.getBooleanValue(feature, false, context));
            }
            return new Served(flags, served);
        }
    }

    void record(ServedVariants variants, Duration latency, boolean failed) {
        requests.record(variants, latency, failed ? 500 : 200);
    }

    @Override
    public void close() {
        // Replacing the OFREP provider shuts it down (the SDK does so for a provider no other domain uses).
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, new NoOpProvider());
        server.stop(0);
        registry.close();
    }
}
