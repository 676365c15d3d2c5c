package dev.twostep.console.bench;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestBroker;
import dev.twostep.console.intake.Projection;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's benchmark (bench/console-delivery/run.sh), not part of the test run: its name matches none of
 * surefire's test patterns. A seeded year of 20 applications in dev, staging and prod, {@code history} events in all
 * (default 1,000,000): the first {@code live} of them (default 50,000) go onto the five topics of the in-JVM broker
 * and the console's consumers catch up on them (EventIntake: inbox, positions and projection per poll), which gives
 * the live catch-up rate, and a rebuild from the topics is timed; the rest go straight through the same
 * {@code Projection} in transactions of 2,000 (what a rebuild does, without Kafka), so that a million events of
 * history need not pass through a broker on a shared two-core machine. Then the four keys (GET
 * /metrics/delivery?expand=true, HTTP included) are timed over 30 and 365 days for every application in prod, and the
 * suspects for moments of the year, and the plans of the main reads printed. No VACUUM and no ANALYZE: the server runs
 * with autovacuum off, as on the project's machines. Written to {@code target/bench-console-delivery.txt}.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class DeliveryBench {

    private static final int APPLICATIONS = 20;
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    private static final Instant END = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant START = END.minus(Duration.ofDays(365));

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Projection projection;

    private final List<String> report = new ArrayList<>();

    @Test
    void fourKeysOverAMillionEventsOfHistory() throws Exception {
        long history = Long.getLong("history", 1_000_000);
        long live = Math.min(history, Long.getLong("live", 50_000));
        line("machine: %d cores, load average %.1f at the start", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        History year = new History(history);
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            year.write(live, event -> producer.send(CloudEventCodec.toRecord(event)));
        }
        Map<TopicPartition, Long> end = endOffsets();
        await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofSeconds(1)).until(() -> consumed() >= sum(end));
        double caughtUp = seconds(started);
        line("live: %,d events written to the topics and applied by the consumers %.1f s after the first was written:"
                + " %,.0f events/s", sum(end), caughtUp, sum(end) / caughtUp);
        String rebuilt = given().post("/read-model/rebuild").then().statusCode(200).extract().asString();
        line("rebuild of those from the topics: %s", rebuilt);

        long bulkStarted = System.nanoTime();
        List<EventEnvelope> batch = new ArrayList<>();
        long bulk = year.write(history - live, event -> {
            batch.add(event);
            if (batch.size() == 2_000) {
                applyAll(batch);
            }
        });
        applyAll(batch);
        double bulkSeconds = seconds(bulkStarted);
        line("bulk: %,d more events through the projection in %.1f s: %,.0f events/s", bulk, bulkSeconds,
                bulk / bulkSeconds);
        line("read model over %,d events: %,d delivery facts, %,d changes, %,d artefact versions, %,d features",
                sum(end) + bulk, count("delivery_fact"), count("change_log"), count("artefact_version"),
                count("feature_application"));

        for (Duration window : List.of(Duration.ofDays(30), Duration.ofDays(365))) {
            timeDelivery(window, false);
            timeDelivery(window, true);
        }
        timeSuspects();
        explain("the facts of app7 in prod over 30 days", "SELECT * FROM delivery_fact WHERE environment = 'prod'"
                + " AND application = 'app7' AND at >= '" + END.minus(Duration.ofDays(30)) + "' AND at < '" + END + "'");
        explain("the changes in prod in 30 minutes", "SELECT * FROM change_log WHERE environment IN ('prod', '*')"
                + " AND at > '" + END.minus(Duration.ofMinutes(30)) + "' AND at <= '" + END + "'"
                + " ORDER BY at DESC, event_id LIMIT 1001");
        Files.write(Path.of("target/bench-console-delivery.txt"), report);
    }

    private void applyAll(List<EventEnvelope> batch) {
        List<EventEnvelope> events = List.copyOf(batch);
        QuarkusTransaction.requiringNew().run(() -> events.forEach(projection::apply));
        batch.clear();
    }

    private void explain(String what, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            line("plan of %s:", what);
            while (rows.next()) {
                line("    %s", rows.getString(1));
            }
        }
    }

    private void timeDelivery(Duration window, boolean expand) {
        List<Double> millis = new ArrayList<>();
        int items = 0;
        for (int round = 0; round < 3; round++) {
            for (int app = 0; app < APPLICATIONS; app++) {
                long t0 = System.nanoTime();
                String body = given().queryParam("application", "app" + app).queryParam("environment", "prod")
                        .queryParam("from", END.minus(window).toString()).queryParam("to", END.toString())
                        .queryParam("expand", expand).get("/metrics/delivery").then().statusCode(200).extract()
                        .asString();
                if (round > 0) {
                    millis.add((System.nanoTime() - t0) / 1e6);
                }
                items = body.length();
            }
        }
        line("four keys over %d days (expand=%s, ~%,d bytes), %d calls after a warm-up round: %s", window.toDays(),
                expand, items, millis.size(), stats(millis));
        assertThat(millis).isNotEmpty();
    }

    private void timeSuspects() {
        List<Double> millis = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 120; i++) {
            Instant at = START.plusSeconds((long) (random.nextDouble() * Duration.between(START, END).toSeconds()));
            long t0 = System.nanoTime();
            given().queryParam("at", at.toString()).queryParam("window", "30m")
                    .get("/environments/prod/suspects").then().statusCode(200);
            if (i >= 20) {
                millis.add((System.nanoTime() - t0) / 1e6);
            }
        }
        line("suspects in prod, 30 minutes before a random moment of the year, %d calls: %s", millis.size(),
                stats(millis));
    }

    private static String stats(List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted[sorted.length / 2],
                sorted[(int) Math.ceil(0.99 * sorted.length) - 1], sorted[sorted.length - 1]);
    }

    private void line(String format, Object... arguments) {
        String text = String.format(Locale.ROOT, format, arguments);
        System.out.println("BENCH " + text);
        report.add(text);
    }

    private long consumed() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM consumed_position")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long count(String table) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS,
                    Topics.RELEASE_EVENTS, Topics.ROLLOUT_EVENTS)) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            return consumer.endOffsets(partitions);
        }
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * A seeded year: each application releases a version every {@code 365 d × APPLICATIONS × 13 / events}; every
     * fifth version brings a feature, rolled out in prod in three steps (one rollout in ten rolled back by a decision)
     * and switched on by hand in staging; one prod deployment in twenty fails and is rolled back automatically, one in
     * thirty is rolled back by a person twenty minutes later.
     */
    private static final class History {
        private final Random random = new Random(42);
        private final Map<String, Long> sequences = new HashMap<>();
        private final Duration every;
        private final String[][] running = new String[APPLICATIONS][ENVIRONMENTS.size()];
        private final List<List<String>> features = new ArrayList<>();
        private java.util.function.Consumer<EventEnvelope> sink;
        private long k;
        private int app;
        private long sent;
        private String correlation;

        History(long total) {
            every = Duration.between(START, END).dividedBy(Math.max(1, total / 13 / APPLICATIONS));
            for (int i = 0; i < APPLICATIONS; i++) {
                features.add(new ArrayList<>());
            }
        }

        /** The next {@code count} events or a few more (a version's events stay together), in time order. */
        long write(long count, java.util.function.Consumer<EventEnvelope> to) {
            sink = to;
            long before = sent;
            while (sent - before < count) {
                Instant t = START.plus(every.multipliedBy(k)).plusSeconds(app * 37L);
                version("app" + app, k, t, running[app], features.get(app));
                if (++app == APPLICATIONS) {
                    app = 0;
                    k++;
                }
            }
            return sent - before;
        }

        private void version(String app, long k, Instant t, String[] running, List<String> features) {
            String version = "1." + k + ".0";
            String buildId = "b-" + app + "-" + k;
            correlation = "corr-" + app + "-" + k;
            String feature = null;
            if (k % 5 == 0) {
                feature = "f-" + app + "-" + k;
                features.add(feature);
                if (features.size() > 5) {
                    features.removeFirst();
                }
            }
            List<String> contained = List.copyOf(features);
            emit(t, "build-service", buildId, new BuildCompleted(buildId, "github-actions", "https://ci/" + buildId,
                    "https://git/" + app, hex(k), "main", Outcome.SUCCEEDED, t.minusSeconds(420), t,
                    List.of(new BuiltArtefact(app, version, "sha256:" + hex(k), "pkg:oci/" + app, contained))));
            emit(t.plusSeconds(30), "artifact-registry", app + "@" + version, new ArtefactPublished(app, version,
                    "sha256:" + hex(k), "pkg:oci/" + app, buildId, null, "https://git/" + app, hex(k), contained,
                    t.plusSeconds(30)));
            for (int e = 0; e < ENVIRONMENTS.size(); e++) {
                String env = ENVIRONMENTS.get(e);
                Instant at = t.plus(Duration.ofMinutes(new long[]{1, 30, 120}[e]));
                boolean prod = env.equals("prod");
                if (prod && random.nextInt(20) == 0) {
                    String failed = deploy(app, env, version, running[e], at, false);
                    emitDeploymentRollback(app, env, running[e], version, at.plusSeconds(90),
                            "automatic rollback: deployment " + failed + " of version " + version + " failed");
                    continue;
                }
                deploy(app, env, version, running[e], at, true);
                String previous = running[e];
                running[e] = version;
                if (prod && previous != null && random.nextInt(30) == 0) {
                    emitDeploymentRollback(app, env, previous, version, at.plus(Duration.ofMinutes(20)),
                            "errors after deploy");
                    running[e] = previous;
                    continue;
                }
                if (feature != null && env.equals("staging")) {
                    emit(at.plusSeconds(900), "release-controller", feature, new FeatureReleased(feature, env,
                            new Audience(100, List.of()), Audience.NOBODY, "try it", null, null));
                }
                if (feature != null && prod) {
                    rollout(feature, env, at.plus(Duration.ofHours(1)));
                }
            }
        }

        private String deploy(String app, String env, String version, String replaced, Instant at, boolean succeeds) {
            String id = UUID.randomUUID().toString();
            emit(at, "deploy-orchestrator", id, new DeploymentRequested(id, app, version, env, "sha256", "c", "b",
                    "bob"));
            emit(at.plusSeconds(5), "deploy-orchestrator", id, new DeploymentStarted(id, app, version, env, "sha256",
                    "c", "external"));
            emit(at.plusSeconds(60), "deploy-orchestrator", id, succeeds
                    ? new DeploymentSucceeded(id, app, version, env, "sha256", "c", replaced)
                    : new DeploymentFailed(id, app, version, env, "sha256", "c", "image pull failed"));
            return id;
        }

        private void emitDeploymentRollback(String app, String env, String to, String from, Instant at, String why) {
            if (to == null) {
                return;
            }
            String id = deploy(app, env, to, from, at, true);
            emit(at.plusSeconds(60), "deploy-orchestrator", id, new DeploymentRolledBack(id, app, env, from, to, why));
        }

        private void rollout(String feature, String env, Instant at) {
            String rollout = "ro-" + UUID.randomUUID();
            Plan plan = new Plan(List.of(10.0, 50.0, 100.0), 1000, Duration.ofMinutes(5), Duration.ofHours(1),
                    new Guard("errorRate", 0.5, 0.95));
            Evidence evidence = new Evidence(null, new Counts(9000, 90), new Counts(1000, 9), "msprt", -0.1, 0.5,
                    "concurrent", "treatment 0.9% vs control 1.0%");
            emit(at, "release-controller", rollout, new RolloutStarted(rollout, feature, env, plan));
            emit(at, "release-controller", feature, new FeatureReleased(feature, env, new Audience(10, List.of()),
                    Audience.NOBODY, "rollout starts", rollout, null));
            if (random.nextInt(10) == 0) {
                String decision = "d-" + UUID.randomUUID();
                emit(at.plusSeconds(600), "rollout-analyzer", rollout, new RolloutRollbackDecided(decision, rollout,
                        feature, env, 1, 10, 50, 1, evidence));
                emit(at.plusSeconds(602), "release-controller", feature, new FeatureRolledBack(feature, env,
                        "rollout rolled back: decision " + decision, decision, new Audience(10, List.of())));
                emit(at.plusSeconds(602), "release-controller", rollout, new RolloutAborted(rollout, feature, env,
                        "decision " + decision + " rolled it back"));
                return;
            }
            double[] steps = {10, 50, 100};
            for (int step = 1; step < steps.length; step++) {
                Instant when = at.plusSeconds(600L * step);
                emit(when, "rollout-analyzer", rollout, new RolloutAdvanceDecided("d-" + UUID.randomUUID(), rollout,
                        feature, env, step, steps[step - 1], steps[step], 1, evidence));
                emit(when.plusSeconds(1), "release-controller", feature, new FeatureReleased(feature, env,
                        new Audience(steps[step], List.of()), new Audience(steps[step - 1], List.of()),
                        "rollout advances", rollout, null));
            }
            emit(at.plusSeconds(1201), "release-controller", rollout, new RolloutCompleted(rollout, feature, env));
        }

        private void emit(Instant at, String service, String subject, TwostepEvent data) {
            long sequence = sequences.merge(subject, 1L, Long::sum);
            sink.accept(new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf(service), subject, sequence, at,
                    correlation, null, service, null, data));
            sent++;
        }

        private static String hex(long k) {
            return String.format(Locale.ROOT, "%012x", k * 2654435761L & 0xffffffffffffL);
        }
    }
}
