package dev.twostep.e2e;

import dev.twostep.cli.api.Service;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.TestBroker;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The promises under faults: a process killed mid-flow, a database that goes away, a consumer far behind. */
@ExtendWith(SharedPlatform.class)
class FaultTest {

    private static final int BUILDS = 1_000;
    private static final int BACKLOG = 100_000;

    private static Platform platform;

    @BeforeAll
    static void connect(Platform shared) {
        platform = shared;
    }

    /**
     * The registry killed in the window between Kafka's acknowledgement and the relay's cursor save, for certain: the
     * test holds the cursor's row lock, so the relay publishes ArtefactPublished events, has their acknowledgements,
     * and waits on the lock to save. The SIGKILL comes once it waits there; the restarted registry starts from the
     * saved cursor and sends those events again.
     *
     * <p>Which layer proves what: the artefact topic holds the re-sent events twice under the same id (counted, and
     * asserted to be more than none) and every artefact under exactly one id, so no redelivered build made a second
     * event. The registry's {@code artefact} and the orchestrator's {@code known_artefact} rows are keyed by name
     * and version: their counts prove that none is missing, and cannot show a doubling. That an effect without such a
     * key is applied once per event id is {@code RelayTest} in the outbox module.
     */
    @Test
    void aRegistryKilledBetweenPublishingAndSavingItsCursorResendsAndEveryArtefactIsOneEvent() throws Exception {
        String application = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger posted = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        Set<String> publishedBeforeTheKill;
        List<Future<Integer>> answers;
        try (Connection cursorHolder = platform.connect(Service.REGISTRY)) {
            cursorHolder.setAutoCommit(false);
            cursorHolder.createStatement().execute("SELECT published_through FROM outbox_cursor FOR UPDATE");
            answers = IntStream.range(0, BUILDS).mapToObj(i -> clients.submit(() -> {
                int status = postBuild(platform, application, i).statusCode();
                posted.incrementAndGet();
                return status;
            })).toList();

            await().atMost(Duration.ofMinutes(2)).until(() -> posted.get() >= BUILDS / 3);
            await().atMost(Duration.ofMinutes(1)).until(() -> !artefactsPublished(application).isEmpty()
                    && platform.count(Service.REGISTRY, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'artifact-registry-outbox-relay' AND datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE outbox_cursor%'") == 1);
            publishedBeforeTheKill = ids(artefactsPublished(application));
            platform.kill(Service.REGISTRY);
            cursorHolder.commit();
        }
        System.out.println("killed the registry with SIGKILL after " + posted.get() + " of " + BUILDS + " builds, "
                + publishedBeforeTheKill.size() + " ArtefactPublished events acknowledged and not saved as sent");
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isEqualTo(201);
        }
        clients.shutdown();
        platform.restart(Service.REGISTRY);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name = '"
                        + application + "'")).as("artefacts in the registry, none missing").isEqualTo(BUILDS));
        await().atMost(Duration.ofMinutes(1)).until(() -> platform.count(Service.REGISTRY,
                "SELECT count(*) FROM outbox_unpublished") == 0);
        List<ConsumerRecord<String, byte[]>> published = artefactsPublished(application);
        assertThat(published.stream().map(ConsumerRecord::key).distinct()).as("artefacts published").hasSize(BUILDS);
        assertThat(ids(published)).as("distinct ArtefactPublished events: exactly one per artefact").hasSize(BUILDS);
        Map<String, Long> copies = published.stream().collect(Collectors.groupingBy(
                r -> KafkaProbe.header(r, "ce_id"), Collectors.counting()));
        assertThat(publishedBeforeTheKill).as("events published before the kill").isNotEmpty()
                .allSatisfy(id -> assertThat(copies.get(id)).as("copies of %s on the topic", id)
                        .isGreaterThanOrEqualTo(2));
        System.out.printf("ArtefactPublished records on the topic: %d for %d events (%d re-sent after the kill)%n",
                published.size(), BUILDS, published.size() - BUILDS);
        assertThat(published.size() - BUILDS).as("records re-sent after the kill")
                .isGreaterThanOrEqualTo(publishedBeforeTheKill.size());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(platform.count(Service.DEPLOY, "SELECT count(*) FROM known_artefact WHERE application = '"
                        + application + "'")).as("the orchestrator's read model, none missing").isEqualTo(BUILDS));
        assertThat(deadLetters(Topics.ARTEFACT_EVENTS, application + "@")).as("re-sent events dead-lettered").isZero();
    }

    /**
     * Events pending on a consumer while its database is away: the build-service publishes builds that the
     * artifact-registry cannot apply, because its connections to PostgreSQL are cut. Its intake retries the poll until
     * the database is back, then applies every build once, and sends none to the dead-letter topic.
     *
     * <p>Which layer proves what: the registry's event store and the artefact topic count ArtefactPublished events,
     * one per build (a build applied twice would have to be refused by the registry's own rule, a republish with
     * the same digest, to leave no trace; that the inbox alone keeps an unkeyed effect to one is
     * {@code OutboxAndInboxTest}). The {@code artefact} rows are keyed: they prove that none is missing.
     */
    @Test
    void eventsPendingOnAConsumerWhileItsDatabaseIsAwayAreEachAppliedOnceAfterTheRestore() {
        String application = "consumer-outage-" + UUID.randomUUID().toString().substring(0, 8);
        int builds = 20;
        int logBefore = platform.log(Service.REGISTRY).length();
        platform.database(Service.REGISTRY).cut();
        try {
            for (int i = 0; i < builds; i++) {
                assertThat(postBuild(platform, application, i).statusCode()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(KafkaProbe.readAll(
                    Topics.BUILD_EVENTS).stream().filter(r -> r.key() != null && r.key().startsWith(application + "-"))
                    .map(ConsumerRecord::key).distinct()).as("builds on the topic").hasSize(builds));
            await().atMost(Duration.ofSeconds(60)).until(() -> platform.log(Service.REGISTRY).substring(logBefore)
                    .contains("database unavailable while applying"));
            assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name = '" + application
                    + "'")).as("artefacts applied while the database is away").isZero();
        } finally {
            platform.database(Service.REGISTRY).restore();
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name = '"
                        + application + "'")).as("artefacts, none missing").isEqualTo(builds));
        await().atMost(Duration.ofMinutes(1)).until(() -> platform.count(Service.REGISTRY,
                "SELECT count(*) FROM outbox_unpublished") == 0);
        assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM event_store WHERE aggregate_id LIKE '"
                + application + "@%'")).as("ArtefactPublished events stored, one per build").isEqualTo(builds);
        assertThat(ids(artefactsPublished(application))).as("ArtefactPublished events on the topic").hasSize(builds);
        assertThat(deadLetters(Topics.BUILD_EVENTS, application + "-")).as("builds dead-lettered").isZero();
    }

    private static List<ConsumerRecord<String, byte[]>> artefactsPublished(String application) {
        return KafkaProbe.readAll(Topics.ARTEFACT_EVENTS).stream()
                .filter(r -> r.key() != null && r.key().startsWith(application + "@"))
                .filter(r -> "dev.twostep.artefact.published.v1".equals(KafkaProbe.header(r, "ce_type"))).toList();
    }

    private static Set<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> KafkaProbe.header(r, "ce_id")).collect(Collectors.toSet());
    }

    private static long deadLetters(String topic, String keyPrefix) {
        return KafkaProbe.readAll(Topics.deadLetter(topic)).stream()
                .filter(r -> r.key() != null && r.key().startsWith(keyPrefix)).count();
    }

    @Test
    void aBrokerKilledAndRestartedMidFlowLosesAndDoublesNothing(@TempDir Path directory) throws Exception {
        int builds = 300;
        try (ExternalBroker broker = ExternalBroker.start(directory.resolve("kafka"));
             Platform own = Platform.start("broker-restart", broker.bootstrapServers(),
                     EnumSet.of(Service.BUILD, Service.REGISTRY))) {
            String application = "restart-" + UUID.randomUUID().toString().substring(0, 8);
            AtomicInteger posted = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Integer>> answers = IntStream.range(0, builds).mapToObj(i -> clients.submit(() -> {
                int status = postBuild(own, application, i).statusCode();
                posted.incrementAndGet();
                return status;
            })).toList();
            await().atMost(Duration.ofMinutes(2)).until(() -> posted.get() >= builds / 3);
            broker.kill();
            System.out.println("killed the broker with SIGKILL after " + posted.get() + " of " + builds + " builds");
            await().atMost(Duration.ofMinutes(2)).until(() -> posted.get() >= 2 * builds / 3);
            broker.launch();
            System.out.println("restarted the broker after " + posted.get() + " builds");
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("builds are recorded while the broker is away").isEqualTo(201);
            }
            clients.shutdown();

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(own.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name = '"
                            + application + "'")).as("artefacts in the registry, none missing").isEqualTo(builds));
            // The rows are keyed by name and version, so the count above cannot show a doubling; the distinct event
            // ids below can: an event created twice would carry two ids.
            List<ConsumerRecord<String, byte[]>> published = KafkaProbe.readAll(broker.bootstrapServers(),
                            Topics.ARTEFACT_EVENTS).stream()
                    .filter(r -> r.key() != null && r.key().startsWith(application + "@")).toList();
            assertThat(published.stream().map(ConsumerRecord::key).distinct()).hasSize(builds);
            assertThat(published.stream().map(r -> KafkaProbe.header(r, "ce_id")).distinct()).hasSize(builds);
            long completed = KafkaProbe.readAll(broker.bootstrapServers(), Topics.BUILD_EVENTS).stream()
                    .filter(r -> r.key() != null && r.key().startsWith(application + "-"))
                    .map(r -> KafkaProbe.header(r, "ce_id")).distinct().count();
            assertThat(completed).as("BuildCompleted events on the restarted broker").isEqualTo(builds);
            System.out.printf("after the broker restart: %d artefacts, %d ArtefactPublished records for %d events%n",
                    builds, published.size(), builds);
        }
    }

    @Test
    void whileTheDatabaseIsUnreachableWritesAre503AndNotReadyThenEverythingResumes() {
        String application = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        platform.database(Service.BUILD).cut();
        try {
            Response refused = postBuild(platform, application, 1);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body().asString()).contains("database").doesNotContain("Exception");
            await().atMost(Duration.ofSeconds(60)).until(() -> !platform.ready(Service.BUILD));
        } finally {
            platform.database(Service.BUILD).restore();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.ready(Service.BUILD));
        assertThat(postBuild(platform, application, 2).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(platform.count(Service.REGISTRY, "SELECT count(*) FROM artefact WHERE name = '"
                        + application + "'")).as("the outbox drained after the outage").isEqualTo(1));
    }

    @Test
    void aConsumerBehindByAHundredThousandEventsCatchesUp() throws Exception {
        String feature = "backlog-" + UUID.randomUUID().toString().substring(0, 8);
        platform.kill(Service.ROLLOUT);
        long before = platform.count(Service.ROLLOUT, "SELECT count(*) FROM metric_sample");
        Instant window = Instant.parse("2026-11-22T10:00:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all", ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < BACKLOG; i++) {
                MetricSampleRecorded sample = new MetricSampleRecorded(feature + "-" + i, "shop", "prod", feature,
                        i % 2 == 0 ? Variant.on : Variant.off, window, window.plusSeconds(10), 100, 1);
                producer.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/metrics-pipeline",
                        sample.aggregateId(), 1, Instant.now(), null, null, "telemetry", null, sample)));
            }
            producer.flush();
        }

        long started = System.nanoTime();
        platform.restart(Service.ROLLOUT);
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(platform.count(Service.ROLLOUT, "SELECT count(*) FROM metric_sample"))
                        .as("samples, none missing (rows keyed by sample id, so this proves no doubling)")
                        .isEqualTo(before + BACKLOG));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("caught up on %,d events in %.1f s including restart: %,.0f events/s%n", BACKLOG, seconds,
                BACKLOG / seconds);
    }

    private static Response postBuild(Platform target, String application, int number) {
        String digest = "sha256:" + String.format("%064x", number);
        return given().baseUri(target.url(Service.BUILD))
                .auth().oauth2(target.credentials().tokenOf("github-actions").orElseThrow())
                .contentType("application/json").body("""
                        {"buildId":"%s-%d","ciSystem":"github-actions","runUrl":"https://ci.example.com/runs/%d",
                         "repository":"https://git.example.com/shop/%s","commit":"3f2a9c1d","branch":"main",
                         "outcome":"SUCCEEDED","startedAt":"2026-11-20T10:00:00Z","finishedAt":"2026-11-20T10:07:30Z",
                         "artefacts":[{"name":"%s","version":"1.0.%d","digest":"%s",
                           "uri":"oci://registry.example.com/%s:1.0.%d","features":[]}]}"""
                        .formatted(application, number, number, application, application, number, digest,
                                application, number)).post("/builds");
    }
}
