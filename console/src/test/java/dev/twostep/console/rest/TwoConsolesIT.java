package dev.twostep.console.rest;

import dev.twostep.console.notification.Receiver;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.TestBroker;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two console processes on one database and one consumer group (issue 22 at N replicas): the packaged console
 * ({@code target/quarkus-app/quarkus-run.jar}, so this runs after {@code package}, in the surefire execution
 * {@code two-consoles}) started twice as child processes against the in-JVM broker and a fresh database. Three
 * scripted {@link Story stories} and a rolled-back deployment are published once both have joined the group; then
 * every event is in the read model once, both consumed a share of them, both answer the four keys alike (and as
 * computed by hand), and the notice a subscription made on one owes, queued by whichever consumed the event and sent
 * by whichever claimed it, arrives once.
 */
class TwoConsolesIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String ROLLED_BACK = "dev.twostep.deployment.rolledback.v1";

    private static final List<Story> STORIES = List.of(new Story(), new Story(), new Story());
    private static final Receiver RECEIVER = new Receiver();
    private static final String NOTICE_ENVIRONMENT = "notice-" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<Process> CONSOLES = new ArrayList<>();
    private static final List<Integer> PORTS = new ArrayList<>();
    private static TestDatabase database;
    private static EventEnvelope rolledBack;

    @BeforeAll
    static void startTwoConsoles() throws IOException {
        assertThat(JAR).as("the packaged console; this test runs after package").exists();
        database = TestDatabase.create("twostep_two_consoles");
        String bootstrap = TestBroker.bootstrapServers();
        TestTokens.actAsOperator();
        Path logs = Files.createDirectories(Path.of("target", "two-consoles"));
        for (int replica = 0; replica < 2; replica++) {
            int port = freePort();
            PORTS.add(port);
            CONSOLES.add(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=" + database.jdbcUrl(),
                    "-Dquarkus.datasource.username=" + database.user(),
                    "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dmp.jwt.verify.publickey.location=" + Path.of(TestTokens.publicKeyLocation()).toAbsolutePath(),
                    "-Dtwostep.console.notifications.allow-private-targets=true",
                    "-Dtwostep.console.gauge-every=off",
                    "-jar", JAR.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(logs.resolve("console-" + replica + ".log").toFile())
                    .start());
        }
        // a connection is refused until the console listens; one that died is named when the wait gives up
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> {
                    for (int replica = 0; replica < 2; replica++) {
                        assertThat(CONSOLES.get(replica).isAlive()).as("console " + replica
                                + " runs (its log is under target/two-consoles)").isTrue();
                        console(replica).get("/q/health/ready").then().statusCode(200);
                    }
                });
        // made on one, judged on the other as well: subscriptions are read from the database for every event. A
        // subscription hears of events from its creation on, so the rolled-back deployment it owes a notice for
        // happens now, not on the stories' day.
        console(1).contentType(ContentType.JSON).body(Map.of("url", RECEIVER.url("/ok/rolled-back"),
                "types", List.of(ROLLED_BACK), "environments", List.of(NOTICE_ENVIRONMENT),
                "format", "cloudevents")).post("/subscriptions").then().statusCode(201);
        rolledBack = new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf("deploy-orchestrator"), "d-notice",
                3, Instant.now(), "corr-" + NOTICE_ENVIRONMENT, null, "sre-sam", null, new DeploymentRolledBack(
                "d-notice", "checkout", NOTICE_ENVIRONMENT, "1.4", "1.3", "errors after deploy"));
        // Ready is not yet in the group: published earlier, the stories could all go to whichever joined first.
        await().atMost(Duration.ofSeconds(60)).until(() -> Stream.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS,
                        Topics.DEPLOYMENT_EVENTS, Topics.RELEASE_EVENTS, Topics.ROLLOUT_EVENTS)
                .allMatch(topic -> KafkaProbe.membersReading("console", topic) == 2));
        for (Story story : STORIES) {
            for (ProducerRecord<String, byte[]> record : story.recordsOutOfOrder()) {
                KafkaProbe.send(record);
            }
        }
        KafkaProbe.send(CloudEventCodec.toRecord(rolledBack));
    }

    @AfterAll
    static void stopThem() throws InterruptedException {
        for (Process console : CONSOLES) {
            console.destroy();
        }
        for (Process console : CONSOLES) {
            if (!console.waitFor(20, TimeUnit.SECONDS)) {
                console.destroyForcibly();
            }
        }
        RECEIVER.close();
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void everyEventLandsOnceAndBothConsolesTookAShare() {
        Set<UUID> published = Stream.concat(STORIES.stream().flatMap(story -> story.events().stream()),
                Stream.of(rolledBack)).map(EventEnvelope::id).collect(Collectors.toSet());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(inReadModel()).containsExactlyInAnyOrderElementsOf(
                published));

        assertThat(count("SELECT count(*) FROM processed_event WHERE event_id = ANY(?)", published))
                .isEqualTo(published.size());
        for (int replica = 0; replica < 2; replica++) {
            assertThat(consumed(replica)).as("events console " + replica + " applied").isPositive();
        }
    }

    @Test
    void bothConsolesAnswerTheFourKeysAsComputedByHand() {
        for (Story story : STORIES) {
            // Until a story is projected its medians are null, which getDouble cannot unbox: wait through that too.
            await().atMost(PATIENCE).ignoreException(NullPointerException.class).untilAsserted(() -> {
                JsonPath report = new JsonPath(delivery(0, story));
                assertThat(report.getInt("deploys.frequency.count")).isEqualTo(1);
                assertThat(report.getDouble("deploys.leadTime.medianSeconds")).isEqualTo(1200.0);
                assertThat(report.getDouble("deploys.timeToRestore.medianSeconds")).isEqualTo(120.0);
                assertThat(report.getInt("releases.frequency.count")).isEqualTo(2);
                assertThat(report.getDouble("releases.leadTimeToFirstExposure.medianSeconds")).isEqualTo(1500.0);
                assertThat(report.getDouble("releases.leadTimeToEveryone.medianSeconds")).isEqualTo(2400.0);
                assertThat(report.getDouble("releases.changeFailureRate.rate")).isEqualTo(0.5);
            });
            assertThat(delivery(1, story)).isEqualTo(delivery(0, story));
        }
    }

    @Test
    void aSubscriptionsNoticeIsDeliveredOnce() {
        await().atMost(PATIENCE).until(() -> RECEIVER.posts("/ok/rolled-back").size() >= 1);
        // both senders look for due deliveries every second: a second post would come within this
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> RECEIVER.posts("/ok/rolled-back").size() == 1);

        Receiver.Post post = RECEIVER.posts("/ok/rolled-back").getFirst();
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains(ROLLED_BACK)
                .contains(rolledBack.id().toString()).contains(NOTICE_ENVIRONMENT);
        assertThat(count("SELECT count(*) FROM notification_delivery", Set.of())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notification_delivery WHERE state = 'delivered'", Set.of()))
                .isEqualTo(1);
    }

    private static RequestSpecification console(int replica) {
        return given().baseUri("http://127.0.0.1:" + PORTS.get(replica));
    }

    private static String delivery(int replica, Story story) {
        return console(replica).queryParam("application", story.application)
                .queryParam("environment", story.environment).queryParam("from", "2026-11-20T10:00:00Z")
                .queryParam("to", "2026-11-20T12:00:00Z").queryParam("expand", true)
                .get("/metrics/delivery").then().statusCode(200).extract().asString();
    }

    /** The sum of {@code twostep_events_consumed_total} over every type, as the console reports it. */
    private static double consumed(int replica) {
        String metrics = console(replica).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher counter = Pattern.compile("(?m)^twostep_events_consumed_total\\{[^}]*} ([0-9.E]+)$").matcher(metrics);
        double sum = 0;
        while (counter.find()) {
            sum += Double.parseDouble(counter.group(1));
        }
        return sum;
    }

    private static List<UUID> inReadModel() throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(
                "SELECT event_id FROM event_log WHERE correlation_id = ANY(?)")) {
            select.setArray(1, connection.createArrayOf("text", Stream.concat(
                    STORIES.stream().map(story -> "corr-" + story.application),
                    Stream.of(rolledBack.correlationId())).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static long count(String sql, Set<UUID> ids) {
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            if (sql.contains("?")) {
                select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
