package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.testing.LoopbackServer;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for an application whose request metrics carry the variant it served, as the documented convention
 * asks: {@code http_server_requests_seconds} (a histogram with buckets {@code le}) and
 * {@code http_server_errors_total} (a counter), labelled {@code app}, {@code feature} and {@code variant}, in
 * Prometheus's text format at {@code /metrics}. Traffic is simulated, not served: every 100 ms each feature's
 * requests are split between the variants by its current audience and drawn slow or failing at each variant's rates,
 * so a real Prometheus scrapes counters that grow as a real application's would.
 */
final class VariantMetricsApp implements AutoCloseable {

    /** Per variant: the share of requests slower than 300 ms and the share that fail. */
    record Behaviour(double slowShare, double errorShare) {
    }

    private static final class Series {
        long requests;
        long fast;
        long errors;
    }

    private final LoopbackServer server;
    private final ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Map<String, Series>> series = new ConcurrentHashMap<>();
    private final Map<String, Double> audience = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> treatment = new ConcurrentHashMap<>();
    private final Behaviour control;
    private final int requestsPerTick;
    private final SplittableRandom random = new SplittableRandom(7);

    VariantMetricsApp(int requestsPerSecond, Behaviour control) {
        this.control = control;
        this.requestsPerTick = requestsPerSecond / 10;
        server = LoopbackServer.start(Map.of("/metrics", exchange ->
                LoopbackServer.answer(exchange, 200, "text/plain; version=0.0.4", exposition())));
        traffic.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    String target() {
        return "127.0.0.1:" + server.port();
    }

    /** A feature served to {@code percent} of requests, behaving as {@code behaviour} when on. */
    void serve(String feature, Behaviour behaviour) {
        treatment.put(feature, behaviour);
        audience.putIfAbsent(feature, 0.0);
        series.computeIfAbsent(feature, key -> new ConcurrentHashMap<>(Map.of("on", new Series(), "off", new Series())));
    }

    void widen(String feature, double percent) {
        audience.put(feature, percent);
    }

    private synchronized void tick() {
        for (Map.Entry<String, Map<String, Series>> feature : series.entrySet()) {
            double share = audience.getOrDefault(feature.getKey(), 0.0) / 100;
            for (int i = 0; i < requestsPerTick; i++) {
                boolean on = random.nextDouble() < share;
                Behaviour behaviour = on ? treatment.get(feature.getKey()) : control;
                Series arm = feature.getValue().get(on ? "on" : "off");
                arm.requests++;
                arm.fast += random.nextDouble() < behaviour.slowShare() ? 0 : 1;
                arm.errors += random.nextDouble() < behaviour.errorShare() ? 1 : 0;
            }
        }
    }

    private synchronized String exposition() {
        StringBuilder text = new StringBuilder();
        text.append("# TYPE http_server_requests_seconds histogram\n");
        series.forEach((feature, arms) -> arms.forEach((variant, arm) -> {
            String labels = "app=\"checkout\",feature=\"" + feature + "\",variant=\"" + variant + "\"";
            text.append(String.format(Locale.ROOT, "http_server_requests_seconds_bucket{%s,le=\"0.3\"} %d%n", labels, arm.fast));
            text.append(String.format(Locale.ROOT, "http_server_requests_seconds_bucket{%s,le=\"+Inf\"} %d%n", labels, arm.requests));
            text.append(String.format(Locale.ROOT, "http_server_requests_seconds_count{%s} %d%n", labels, arm.requests));
            text.append(String.format(Locale.ROOT, "http_server_requests_seconds_sum{%s} %.3f%n", labels, arm.requests * 0.1));
        }));
        text.append("# TYPE http_server_errors_total counter\n");
        series.forEach((feature, arms) -> arms.forEach((variant, arm) -> text.append(String.format(Locale.ROOT,
                "http_server_errors_total{app=\"checkout\",feature=\"%s\",variant=\"%s\"} %d%n", feature, variant,
                arm.errors))));
        return text.toString();
    }

    @Override
    public void close() {
        traffic.shutdownNow();
        server.close();
    }
}
