package dev.twostep.console.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.access.Roles;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Notifications end to end: events on the real broker, the console's consumer and PostgreSQL, and posts to a real
 * local HTTP receiver. Each test works in environments of its own, so the tests cannot see each other's notices.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class NotificationsTest {

    private static final Receiver RECEIVER = new Receiver();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    NotificationQueue queue;

    @AfterAll
    static void stopTheReceiver() {
        RECEIVER.close();
    }

    private record Subscribed(String id, String secret) {
    }

    private static Subscribed subscribe(String path, List<String> types, List<String> environments, String format) {
        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of("url", RECEIVER.url(path), "types", types,
                        "environments", environments, "format", format))
                .post("/subscriptions").then().statusCode(201).extract().jsonPath();
        return new Subscribed(answer.getString("subscription.id"), answer.getString("secret"));
    }

    private static String environment() {
        return "n-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static EventEnvelope envelope(TwostepEvent data) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/deploy-orchestrator", data.aggregateId(), 1,
                Instant.now(), "corr-" + UUID.randomUUID(), null, "bob", null, data);
    }

    private static EventEnvelope failure(String environment) {
        return envelope(new DeploymentFailed("d-" + UUID.randomUUID(), "checkout", "1.4.0", environment, null, null,
                "image pull back-off"));
    }

    private static void publish(EventEnvelope... events) {
        for (EventEnvelope event : events) {
            KafkaProbe.send(CloudEventCodec.toRecord(event));
        }
    }

    private static JsonPath deliveries(Subscribed subscription) {
        return given().get("/subscriptions/{id}/deliveries", subscription.id()).then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void aMatchingEventIsDeliveredSignedAsAStructuredCloudEventAndAnotherIsNot() throws Exception {
        String environment = environment();
        Subscribed failures = subscribe("/ok/failures-" + environment, List.of("dev.twostep.deployment.failed.v1"),
                List.of(environment), "cloudevents");
        // hears everything of every environment: once it has the others, the first has been judged on them too
        Subscribed everything = subscribe("/ok/all-" + environment, List.copyOf(NotificationTypes.ALL), List.of(),
                "cloudevents");
        EventEnvelope elsewhere = failure(environment + "-other");
        EventEnvelope success = envelope(new DeploymentSucceeded("d-" + UUID.randomUUID(), "checkout", "1.4.0",
                environment, null, null, null));
        EventEnvelope matching = failure(environment);

        publish(elsewhere, success, matching);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(RECEIVER.posts("/ok/all-" + environment)
                .stream().map(post -> post.header("Idempotency-Key")).toList())
                .contains(elsewhere.id().toString(), success.id().toString(), matching.id().toString()));
        await().atMost(PATIENCE).until(() -> !RECEIVER.posts("/ok/failures-" + environment).isEmpty());
        List<Receiver.Post> posts = RECEIVER.posts("/ok/failures-" + environment);
        assertThat(posts).hasSize(1);
        Receiver.Post post = posts.getFirst();
        assertThat(post.header("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(post.header("Idempotency-Key")).isEqualTo(matching.id().toString());
        assertThat(post.header("X-Twostep-Signature")).isEqualTo(Signature.of(failures.secret(), post.body()))
                .isNotEqualTo(Signature.of(everything.secret(), post.body()));
        assertThat(hmacHex(failures.secret(), post.body())).isEqualTo(post.header("X-Twostep-Signature").substring(7));
        JsonNode event = JSON.readTree(post.body());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo(matching.id().toString());
        assertThat(event.get("type").asText()).isEqualTo("dev.twostep.deployment.failed.v1");
        assertThat(event.get("data").get("environment").asText()).isEqualTo(environment);
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).doesNotContain(failures.secret());

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath delivered = deliveries(failures);
            assertThat(delivered.getList("state")).containsExactly("delivered");
            assertThat(delivered.getInt("[0].attempts")).isEqualTo(1);
            assertThat(delivered.getString("[0].summary")).isEqualTo("checkout 1.4.0 -> " + environment
                    + " failed: image pull back-off");
        });
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("twostep_notifications_delivered_total{format=\"cloudevents\",subscription=\""
                + failures.id() + "\"} 1.0");
        assertThat(given().get("/subscriptions").then().statusCode(200).extract().asString())
                .doesNotContain(failures.secret()).contains(failures.id());
    }

    /** The receiver's check, written out with the JDK alone, as a receiver would. */
    private static String hmacHex(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aHoldGoesToSlackAsOneLineWithWhatItNeedsAndALinkToTheStory() throws Exception {
        String environment = environment();
        subscribe("/ok/slack-" + environment, List.of(NotificationTypes.ROLLOUT_HELD), List.of(environment), "slack");
        Instant now = Instant.now();
        EventEnvelope hold = envelope(new RolloutHoldDecided("dec-" + UUID.randomUUID(), "ro-1", "new-payment-form",
                environment, 2, 10, 50, 1, new Evidence(new Window(now.minusSeconds(60), now), new Counts(1000, 10),
                new Counts(100, 1), "always-valid", 0.9, 0.5, null, "upper bound +0.90pp > 0.5pp at 95%; needs about"
                + " 2,400 more requests, 40 min at the current 1 req/s", null, null, new Forecast(2400, 1, 2400L))));

        publish(hold);

        await().atMost(PATIENCE).until(() -> !RECEIVER.posts("/ok/slack-" + environment).isEmpty());
        Receiver.Post post = RECEIVER.posts("/ok/slack-" + environment).getFirst();
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("Idempotency-Key")).isEqualTo(hold.id().toString());
        String text = JSON.readTree(post.body()).get("text").asText();
        assertThat(text).startsWith("hold new-payment-form@" + environment + " step 2 (10%)")
                .contains("needs about 2,400 more requests")
                .endsWith("<http://localhost:8080/story.html?id=" + hold.correlationId() + "|open the story in the console>");
    }

    @Test
    void aVersionThatMayGoOnToAnApprovalEnvironmentAsksForTheApproval() {
        String staging = environment();
        String prod = environment();
        Subscribed approvals = subscribe("/ok/approvals-" + prod, List.of(NotificationTypes.APPROVAL_NEEDED),
                List.of(prod), "cloudevents");
        publish(envelope(new EnvironmentDefined(prod, staging, true, false, new Target("external", null, null, null))));
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM notification_environment WHERE name = '"
                + prod + "'") == 1);

        EventEnvelope success = envelope(new DeploymentSucceeded("d-" + UUID.randomUUID(), "checkout", "1.4.0", staging,
                null, "c0ffee1", "1.3.0"));
        publish(success);

        await().atMost(PATIENCE).until(() -> !RECEIVER.posts("/ok/approvals-" + prod).isEmpty());
        JsonPath event = JsonPath.from(new String(RECEIVER.posts("/ok/approvals-" + prod).getFirst().body(),
                StandardCharsets.UTF_8));
        assertThat(event.getString("type")).isEqualTo(NotificationTypes.APPROVAL_NEEDED);
        assertThat(event.getString("source")).isEqualTo("/twostep/console");
        assertThat(event.getString("causationid")).isEqualTo(success.id().toString());
        assertThat(event.getString("data.environment")).isEqualTo(prod);
        assertThat(event.getString("data.promotesFrom")).isEqualTo(staging);
        assertThat(event.getString("data.version")).isEqualTo("1.4.0");
        assertThat(deliveries(approvals).getString("[0].summary")).startsWith("approval needed: checkout 1.4.0 runs in "
                + staging + " and goes on to " + prod);
    }

    @Test
    void aReceiverThatFailsOnceIsTriedAgainAndGetsTheNoticeOnce() {
        String environment = environment();
        Subscribed flaky = subscribe("/flaky/" + environment, List.of(NotificationTypes.DEPLOYMENT_FAILED),
                List.of(environment), "cloudevents");
        EventEnvelope failure = failure(environment);

        publish(failure);

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath delivered = deliveries(flaky);
            assertThat(delivered.getList("state")).containsExactly("delivered");
            assertThat(delivered.getInt("[0].attempts")).isEqualTo(2);
            assertThat(delivered.getList("[0].tries.httpStatus")).containsExactly(500, 200);
            assertThat(delivered.getString("[0].tries[0].outcome")).isEqualTo("HTTP 500");
        });
        List<Receiver.Post> posts = RECEIVER.posts("/flaky/" + environment);
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).body()).isEqualTo(posts.get(1).body());
        assertThat(posts.get(1).header("X-Twostep-Signature")).isEqualTo(posts.get(0).header("X-Twostep-Signature"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String tags = "{format=\"cloudevents\",subscription=\"" + flaky.id() + "\"}";
        assertThat(metrics).contains("twostep_notifications_delivered_total" + tags + " 1.0")
                .contains("twostep_notifications_failed_attempts_total" + tags + " 1.0");
    }

    @Test
    void aReceiverThatAlwaysFailsIsDeadLetteredAfterTheLastTryWithTheReason() {
        String environment = environment();
        Subscribed failing = subscribe("/failing/" + environment, List.of(NotificationTypes.DEPLOYMENT_FAILED),
                List.of(environment), "slack");

        publish(failure(environment));

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath dead = given().queryParam("state", "dead").get("/subscriptions/{id}/deliveries", failing.id())
                    .then().statusCode(200).extract().jsonPath();
            assertThat(dead.getList("state")).containsExactly("dead");
            assertThat(dead.getInt("[0].attempts")).isEqualTo(3);
            assertThat(dead.getString("[0].lastOutcome")).isEqualTo("HTTP 503 (dead after 3 attempts)");
            assertThat(dead.getList("[0].tries.httpStatus")).containsExactly(503, 503, 503);
        });
        assertThat(RECEIVER.posts("/failing/" + environment)).hasSize(3);
        given().get("/subscriptions/{id}", failing.id()).then().statusCode(200)
                .body("deadLettered", org.hamcrest.Matchers.equalTo(1))
                .body("pending", org.hamcrest.Matchers.equalTo(0));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String tags = "{format=\"slack\",subscription=\"" + failing.id() + "\"}";
        assertThat(metrics).contains("twostep_notifications_deadlettered_total" + tags + " 1.0")
                .contains("twostep_notifications_failed_attempts_total" + tags + " 3.0");
    }

    @Test
    void aRedeliveredEventOrOneAppliedTwiceOwesNoSecondDelivery() {
        String environment = environment();
        Subscribed once = subscribe("/ok/once-" + environment, List.of(NotificationTypes.DEPLOYMENT_FAILED),
                List.of(environment), "cloudevents");
        EventEnvelope failure = failure(environment);
        ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(failure);
        // a later event of the same deployment: same key, same partition, so it is applied after both copies
        EventEnvelope later = envelope(new DeploymentFailed(((DeploymentFailed) failure.data()).deploymentId(),
                "checkout", "1.4.1", environment, null, null, "still failing"));

        KafkaProbe.send(record, CloudEventCodec.toRecord(failure), CloudEventCodec.toRecord(later));
        // and as a second replica would, past the inbox: the same event queued again in a transaction of its own
        await().atMost(PATIENCE).until(() -> RECEIVER.posts("/ok/once-" + environment).size() >= 2);
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(failure));
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(later));

        assertThat(count("SELECT count(*) FROM notification_delivery WHERE subscription_id = '" + once.id() + "'"))
                .isEqualTo(2);
        assertThat(RECEIVER.posts("/ok/once-" + environment).stream().map(post -> post.header("Idempotency-Key"))
                .toList()).containsExactly(failure.id().toString(), later.id().toString());
        assertThat(deliveries(once).getList("state")).containsExactly("delivered", "delivered");
    }

    @Test
    void aReceiverThatHangsDoesNotHoldUpAnother() {
        String environment = environment();
        Subscribed hanging = subscribe("/hang/" + environment, List.of(NotificationTypes.DEPLOYMENT_FAILED),
                List.of(environment), "cloudevents");
        subscribe("/ok/beside-hang-" + environment, List.of(NotificationTypes.DEPLOYMENT_FAILED), List.of(environment),
                "cloudevents");
        EventEnvelope first = failure(environment);
        publish(first);
        await().atMost(PATIENCE).until(() -> RECEIVER.hangingNow() > 0
                && RECEIVER.posts("/ok/beside-hang-" + environment).size() == 1);

        // while the hanging receiver holds its post, three more notices go to both
        List<EventEnvelope> more = List.of(failure(environment), failure(environment), failure(environment));
        Instant published = Instant.now();
        more.forEach(NotificationsTest::publish);
        await().atMost(PATIENCE).until(() -> RECEIVER.posts("/ok/beside-hang-" + environment).size() == 4);
        Instant allThere = RECEIVER.posts("/ok/beside-hang-" + environment).getLast().at();

        Map<String, Long> latencies = new HashMap<>();
        for (EventEnvelope event : more) {
            Instant queued = instant("SELECT d.created_at FROM notification_delivery d JOIN notification_subscription s"
                    + " ON s.id = d.subscription_id WHERE s.url LIKE '%/ok/beside-hang-" + environment + "'"
                    + " AND d.notice_id = '" + event.id() + "'");
            Instant received = RECEIVER.posts("/ok/beside-hang-" + environment).stream()
                    .filter(post -> event.id().toString().equals(post.header("Idempotency-Key"))).findFirst()
                    .orElseThrow().at();
            latencies.put(event.id().toString(), Duration.between(queued, received).toMillis());
        }
        System.out.printf("hang test: beside a hanging receiver, queued-to-received %s ms; published-to-all %d ms%n",
                latencies.values(), Duration.between(published, allThere).toMillis());
        // the hanging post is still held: the other receiver did not wait for its time-out (5 s in tests)
        assertThat(RECEIVER.hangingNow()).isPositive();
        assertThat(count("SELECT count(*) FROM notification_attempt a JOIN notification_delivery d ON d.id ="
                + " a.delivery_id WHERE d.subscription_id = '" + hanging.id() + "'")).isZero();
        assertThat(latencies.values()).allSatisfy(millis -> assertThat(millis).isLessThan(2_500));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deliveries(hanging)
                .getString("[-1].tries[0].outcome")).isEqualTo("no answer within 5000 ms"));
    }

    @Test
    void hostileSubscriptionsAreRefusedNamingTheFieldAndChangeNothing() {
        long before = count("SELECT count(*) FROM notification_subscription");
        String ok = RECEIVER.url("/ok/never");
        List<String> failed = List.of(NotificationTypes.DEPLOYMENT_FAILED);
        Map<String, Map<String, Object>> cases = Map.ofEntries(
                Map.entry("url", Map.of("url", "ftp://127.0.0.1/x", "types", failed, "format", "slack")),
                Map.entry("url#file", Map.of("url", "file:///etc/passwd", "types", failed, "format", "slack")),
                Map.entry("url#metadata", Map.of("url", "http://169.254.169.254/latest/meta-data/iam/", "types",
                        failed, "format", "cloudevents")),
                Map.entry("url#ipv6-metadata", Map.of("url", "http://[fd00:ec2::254]/", "types", failed, "format",
                        "cloudevents")),
                Map.entry("url#link-local", Map.of("url", "http://[fe80::1]:8080/", "types", failed, "format",
                        "cloudevents")),
                Map.entry("url#unspecified", Map.of("url", "http://0.0.0.0:8080/", "types", failed, "format",
                        "cloudevents")),
                Map.entry("url#credentials", Map.of("url", "http://user:pass@127.0.0.1/", "types", failed, "format",
                        "cloudevents")),
                Map.entry("url#long", Map.of("url", ok + "?" + "a".repeat(3000), "types", failed, "format",
                        "cloudevents")),
                Map.entry("types", Map.of("url", ok, "types", List.of(), "format", "cloudevents")),
                Map.entry("types[0]", Map.of("url", ok, "types", List.of("dev.twostep.nothing.v1"), "format",
                        "cloudevents")),
                Map.entry("format", Map.of("url", ok, "types", failed, "format", "xml")),
                Map.entry("environments[0]", Map.of("url", ok, "types", failed, "environments", List.of("Prod!"),
                        "format", "slack")));
        cases.forEach((name, body) -> given().contentType(ContentType.JSON).body(body).post("/subscriptions").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(name.split("#")[0])));

        // Jackson's own refusals name the field and the rule too: an unknown field, text where a list belongs
        given().contentType(ContentType.JSON).body(Map.of("url", ok, "types", failed,
                "format", "slack", "secret", "mine")).post("/subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", contains("secret"))
                .body("violations.rule", contains("is not a known field"));
        given().contentType(ContentType.JSON).body(Map.of("url", ok, "types", "everything", "format", "slack"))
                .post("/subscriptions").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", contains("types")).body("detail", equalTo("types: must be present and a"
                        + " valid array"));
        given().contentType(ContentType.JSON).body(Map.of("url", ok, "types",
                List.of("x".repeat(2_000_000)), "format", "slack")).post("/subscriptions").then().statusCode(413)
                .contentType("application/problem+json").body("violations.field", hasItem("body"));
        given().auth().oauth2(TestTokens.of("vera", Roles.VIEWER)).contentType(ContentType.JSON)
                .body(Map.of("url", ok, "types", failed, "format", "slack")).post("/subscriptions").then()
                .statusCode(403);
        given().get("/subscriptions/{id}/deliveries", "not-a-uuid").then().statusCode(400)
                .body("violations.field", hasItem("id"));
        given().get("/subscriptions/{id}/deliveries", UUID.randomUUID()).then().statusCode(404);

        assertThat(count("SELECT count(*) FROM notification_subscription")).isEqualTo(before);
    }

    @Test
    void viewersSeeSubscriptionsWithTheirUrlsCutAndOnlySresUnsubscribe() {
        Subscribed subscribed = subscribe("/ok/secret-path-token", List.of(NotificationTypes.ROLLOUT_ABORTED), List.of(),
                "slack");
        String viewer = TestTokens.of("vera", Roles.VIEWER);

        String asViewer = given().auth().oauth2(viewer).get("/subscriptions").then().statusCode(200).extract()
                .asString();
        assertThat(asViewer).contains(subscribed.id()).doesNotContain("secret-path-token")
                .doesNotContain(subscribed.secret());
        given().auth().oauth2(viewer).delete("/subscriptions/{id}", subscribed.id()).then().statusCode(403);

        given().delete("/subscriptions/{id}", subscribed.id()).then().statusCode(204);
        given().get("/subscriptions/{id}", subscribed.id()).then().statusCode(404);
        given().delete("/subscriptions/{id}", subscribed.id()).then().statusCode(404);
    }

    private long count(String sql) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant instant(String sql) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
