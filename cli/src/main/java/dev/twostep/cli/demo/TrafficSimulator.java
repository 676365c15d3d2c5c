package dev.twostep.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated users of one application in one environment. Every tick, a sample of users asks the
 * release-controller over OFREP which flags are on for them, makes a few requests, and some of those fail:
 * the base error rate for everyone, plus a feature's extra error rate for users who have that feature on.
 * The requests and errors per feature and variant go to the rollout-analyzer as metric samples.
 *
 * <p>With {@link ScrapedRequestMetrics} the users evaluate their flags through the OpenFeature SDK instead, and every
 * request is also timed into the metrics Prometheus scrapes: fast, or slower than 300 ms for a base share of them plus
 * a feature's extra share while it is on.
 */
public final class TrafficSimulator implements AutoCloseable {

    /** Traffic shape: the tick, users asked per tick out of a population, and requests each user makes. */
    public record Load(Duration tick, int population, int usersPerTick, int requestsPerUser, double baseErrorRate) {
    }

    /** The application's OFREP key: applications evaluate with a key scoped to their environment. */
    private final String apiKey;
    private final PlatformClient api;
    private final String application;
    private final String environment;
    private final Load load;
    /** Extra error probability per request while a feature is on, by feature key; the others are healthy. */
    private final Map<String, Double> extraErrorRate;
    /** Where the requests are also timed for Prometheus, with the slow share of each; empty: samples only. */
    private final Optional<ScrapedRequestMetrics> scraped;
    private final Map<String, Double> extraSlowShare;
    private final Clock clock;
    private final String run;
    private final Random random = new Random(7);
    private final ExecutorService evaluators = Executors.newFixedThreadPool(8);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    /** The share of requests slower than 300 ms with every feature off. */
    private static final double BASE_SLOW_SHARE = 0.01;
    private Thread worker;

    public TrafficSimulator(PlatformClient api, String application, String environment, Load load,
                            Map<String, Double> extraErrorRate, Clock clock, String run, String apiKey,
                            Optional<ScrapedRequestMetrics> scraped, Map<String, Double> extraSlowShare) {
        this.api = api;
        this.scraped = scraped;
        this.extraSlowShare = Map.copyOf(extraSlowShare);
        this.apiKey = apiKey;
        this.application = application;
        this.environment = environment;
        this.load = load;
        this.extraErrorRate = Map.copyOf(extraErrorRate);
        this.clock = clock;
        this.run = run;
    }

    public void start() {
        worker = Thread.ofPlatform().name("traffic-simulator").daemon().start(this::loop);
    }

    public long requests() {
        return requests.get();
    }

    private void loop() {
        long tick = 0;
        while (running.get()) {
            Instant windowStart = clock.instant();
            try {
                tick(tick++, windowStart);
            } catch (RuntimeException e) {
                // The platform may be busy for a moment; the next tick tries again.
            }
            long rest = load.tick().toMillis() - Duration.between(windowStart, clock.instant()).toMillis();
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Per feature: requests and errors with the variant on, then off. */
    private record Counts(long[] values) {
        Counts() {
            this(new long[4]);
        }
    }

    private void tick(long tick, Instant windowStart) {
        List<Future<ScrapedRequestMetrics.Served>> answers = new ArrayList<>();
        for (int i = 0; i < load.usersPerTick(); i++) {
            String user = "user-" + random.nextInt(load.population());
            answers.add(evaluators.submit(() -> scraped.isPresent() ? scraped.get().evaluate(user)
                    : new ScrapedRequestMetrics.Served(flagsFor(user), null)));
        }
        Map<String, Counts> counts = new HashMap<>();
        for (Future<ScrapedRequestMetrics.Served> answer : answers) {
            ScrapedRequestMetrics.Served served;
            try {
                served = answer.get();
            } catch (Exception e) {
                continue;
            }
            Map<String, Boolean> flags = served.flags();
            double errorRate = load.baseErrorRate();
            double slowShare = BASE_SLOW_SHARE;
            for (Map.Entry<String, Boolean> flag : flags.entrySet()) {
                if (flag.getValue()) {
                    errorRate += extraErrorRate.getOrDefault(flag.getKey(), 0.0);
                    slowShare += extraSlowShare.getOrDefault(flag.getKey(), 0.0);
                }
            }
            for (int r = 0; r < load.requestsPerUser(); r++) {
                boolean failed = random.nextDouble() < errorRate;
                if (scraped.isPresent()) {
                    scraped.get().record(served.variants(), latency(random.nextDouble() < slowShare), failed);
                }
                for (Map.Entry<String, Boolean> flag : flags.entrySet()) {
                    long[] values = counts.computeIfAbsent(flag.getKey(), k -> new Counts()).values();
                    int offset = flag.getValue() ? 0 : 2;
                    values[offset]++;
                    values[offset + 1] += failed ? 1 : 0;
                }
            }
            requests.addAndGet(load.requestsPerUser());
        }
        report(tick, windowStart, counts);
    }

    /** Simulated time taken: under {@link ScrapedRequestMetrics#SLOW} for most requests, up to three times it for slow ones. */
    private Duration latency(boolean slow) {
        long slowMillis = ScrapedRequestMetrics.SLOW.toMillis();
        return Duration.ofMillis(slow ? slowMillis + 1 + random.nextLong(2 * slowMillis)
                : 10 + random.nextLong(slowMillis - 10));
    }

    /** The flags the release-controller says are on for one user, by key, in one bulk call. */
    private Map<String, Boolean> flagsFor(String user) {
        JsonNode reply = api.postWithApiKey(Service.RELEASE, "/ofrep/v1/evaluate/flags",
                Map.of("context", Map.of("targetingKey", user, "environment", environment)), apiKey).body();
        Map<String, Boolean> flags = new HashMap<>();
        for (JsonNode flag : reply.path("flags")) {
            if (flag.has("value")) {
                flags.put(flag.get("key").asText(), flag.get("value").asBoolean());
            }
        }
        return flags;
    }

    private void report(long tick, Instant windowStart, Map<String, Counts> counts) {
        Instant windowEnd = clock.instant();
        List<Map<String, Object>> samples = new ArrayList<>();
        counts.forEach((feature, value) -> {
            for (int offset : new int[] {0, 2}) {
                String variant = offset == 0 ? "on" : "off";
                if (value.values()[offset] > 0) {
                    samples.add(Map.of("sampleId", run + "-" + tick + "-" + feature + "-" + variant,
                            "application", application, "environment", environment, "featureKey", feature,
                            "variant", variant, "windowStart", windowStart.toString(), "windowEnd",
                            windowEnd.toString(), "requests", value.values()[offset],
                            "errors", value.values()[offset + 1]));
                }
            }
        });
        if (!samples.isEmpty()) {
            api.post(Service.ROLLOUT, "/metrics", Map.of("samples", samples), "traffic-simulator");
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (worker != null) {
            worker.interrupt();
        }
        evaluators.shutdownNow();
    }
}
