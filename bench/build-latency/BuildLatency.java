import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency from POST /builds to each ArtefactPublished being visible to a Kafka consumer, through
 * build-service, its outbox relay, the broker, artifact-registry's consumer and its outbox relay.
 *
 * Phase 1 posts at a fixed rate (open loop: a slow answer does not slow the sender). Phase 2 posts as fast as
 * a number of concurrent clients can. Every build has two artefacts; the run counts every ArtefactPublished
 * of its own builds and reports any that are missing or doubled.
 */
public class BuildLatency {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    private final String buildService;
    private final String run = "bench" + Long.toString(System.currentTimeMillis(), 36);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Random random = new Random(42);
    /** When the build of each artefact was posted, by artefact name. */
    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
    /** How often each artefact name@version was seen on the topic. */
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeenAt = new ConcurrentHashMap<>();
    private final AtomicLong failedPosts = new AtomicLong();
    private volatile boolean consuming = true;

    BuildLatency(String buildService) {
        this.buildService = buildService;
    }

    /** The CI persona's bearer token, which run.sh reads from the local tokens file that ./twostep up writes. */
    private static final String CI_TOKEN = System.getenv("CI_TOKEN");

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        int rate = Integer.parseInt(System.getenv().getOrDefault("RATE", "50"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("SECONDS", "30"));
        int clients = Integer.parseInt(System.getenv().getOrDefault("CLIENTS", "16"));
        BuildLatency bench = new BuildLatency(System.getenv().getOrDefault("BUILD_SERVICE", "http://127.0.0.1:8081"));
        Thread consumer = bench.startConsumer(bootstrap);

        bench.warmUp();
        Phase fixed = bench.fixedRate(rate, seconds);
        Phase max = bench.maximum(clients, seconds);
        bench.consuming = false;
        consumer.join();

        System.out.println();
        System.out.printf(Locale.ROOT, "%-28s %8s %9s %9s %9s %10s %6s %6s%n", "phase", "builds", "builds/s",
                "p50 ms", "p99 ms", "published", "lost", "double");
        for (Phase phase : List.of(fixed, max)) {
            bench.report(phase);
        }
        System.out.printf(Locale.ROOT, "failed posts: %d%n", bench.failedPosts.get());
    }

    record Phase(String name, List<String> artefacts, long startNanos, long endNanos) {
    }

    private Thread startConsumer(String bootstrap) throws InterruptedException {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.put("fetch.max.wait.ms", "5");
        CountDownLatch assigned = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
                List<TopicPartition> partitions = consumer.partitionsFor("twostep.artefact.events").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                while (consuming) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        Header type = record.headers().lastHeader("ce_type");
                        if (type == null || !new String(type.value(), StandardCharsets.UTF_8)
                                .equals("dev.twostep.artefact.published.v1")) {
                            continue;
                        }
                        String json = new String(record.value(), StandardCharsets.UTF_8);
                        Matcher name = NAME.matcher(json);
                        Matcher version = VERSION.matcher(json);
                        if (name.find() && version.find() && name.group(1).startsWith(run)) {
                            String key = name.group(1) + "@" + version.group(1);
                            seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            firstSeenAt.putIfAbsent(name.group(1), now);
                        }
                    }
                }
            }
        }, "artefact-consumer");
        thread.start();
        assigned.await();
        return thread;
    }

    private String body(String buildId, String first, String second) {
        return """
                {"buildId":"%s","ciSystem":"bench","runUrl":"https://ci.example.com/runs/%s",
                 "repository":"https://git.example.com/shop/checkout","commit":"%s","branch":"main",
                 "outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                 "artefacts":[{"name":"%s","version":"1.0.0","digest":"%s","uri":"pkg:oci/%s","features":["f1"]},
                              {"name":"%s","version":"1.0.0","digest":"%s","uri":"pkg:oci/%s","features":[]}]}"""
                .formatted(buildId, buildId, hex(20), first, "sha256:" + hex(32), first, second,
                        "sha256:" + hex(32), second);
    }

    private synchronized String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /** Posts one build; returns the names of its two artefacts. */
    private List<String> post(String phase, int index, boolean wait) {
        String buildId = run + "-" + phase + "-" + index;
        String first = buildId + "-api";
        String second = buildId + "-worker";
        HttpRequest request = HttpRequest.newBuilder(URI.create(buildService + "/builds"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + CI_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body(buildId, first, second))).build();
        long now = System.nanoTime();
        postedAt.put(first, now);
        postedAt.put(second, now);
        var response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenAccept(r -> {
                    if (r.statusCode() != 201) {
                        failedPosts.incrementAndGet();
                    }
                })
                .exceptionally(e -> {
                    failedPosts.incrementAndGet();
                    return null;
                });
        if (wait) {
            response.join();
        }
        return List.of(first, second);
    }

    private void warmUp() {
        for (int i = 0; i < 200; i++) {
            post("warmup", i, true);
        }
        awaitPublished(postedAt.keySet().stream().filter(n -> n.contains("-warmup-")).toList());
    }

    private Phase fixedRate(int rate, int seconds) throws InterruptedException {
        ConcurrentLinkedQueue<String> names = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger index = new AtomicInteger();
        int total = rate * seconds;
        long start = System.nanoTime();
        scheduler.scheduleAtFixedRate(() -> {
            int i = index.getAndIncrement();
            if (i < total) {
                names.addAll(post("fixed", i, false));
            }
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        while (index.get() < total) {
            Thread.sleep(50);
        }
        scheduler.shutdown();
        List<String> artefacts = List.copyOf(names);
        awaitPublished(artefacts);
        return new Phase("fixed " + rate + " builds/s", artefacts, start, lastSeen(artefacts));
    }

    private Phase maximum(int clients, int seconds) throws InterruptedException {
        ConcurrentLinkedQueue<String> names = new ConcurrentLinkedQueue<>();
        AtomicInteger index = new AtomicInteger();
        long start = System.nanoTime();
        long stop = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                while (System.nanoTime() < stop) {
                    names.addAll(post("max", index.getAndIncrement(), true));
                }
            });
            client.start();
            threads.add(client);
        }
        for (Thread client : threads) {
            client.join();
        }
        List<String> artefacts = List.copyOf(names);
        awaitPublished(artefacts);
        return new Phase("maximum, " + clients + " clients", artefacts, start, lastSeen(artefacts));
    }

    /** Waits until every artefact was seen, or until nothing new arrived for 30 s (then some are lost). */
    private void awaitPublished(List<String> artefacts) {
        long lastProgress = System.nanoTime();
        long previous = -1;
        while (true) {
            long published = artefacts.stream().filter(firstSeenAt::containsKey).count();
            if (published == artefacts.size()) {
                return;
            }
            if (published != previous) {
                previous = published;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long lastSeen(List<String> artefacts) {
        return artefacts.stream().map(firstSeenAt::get).filter(t -> t != null).mapToLong(Long::longValue).max()
                .orElse(System.nanoTime());
    }

    private void report(Phase phase) {
        long[] latencies = phase.artefacts().stream().filter(firstSeenAt::containsKey)
                .mapToLong(name -> firstSeenAt.get(name) - postedAt.get(name)).sorted().toArray();
        long lost = phase.artefacts().size() - latencies.length;
        long doubled = phase.artefacts().stream()
                .mapToLong(name -> Math.max(0, seen.getOrDefault(name + "@1.0.0", new AtomicInteger()).get() - 1)).sum();
        int builds = phase.artefacts().size() / 2;
        double seconds = (phase.endNanos() - phase.startNanos()) / 1e9;
        System.out.printf(Locale.ROOT, "%-28s %8d %9.1f %9.1f %9.1f %10d %6d %6d%n", phase.name(), builds,
                builds / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.length, lost,
                doubled);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
