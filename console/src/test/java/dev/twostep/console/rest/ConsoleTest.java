package dev.twostep.console.rest;

import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.console.metrics.DeliveryGauges;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The console against the real broker and database: the scripted {@link Story} published topic by topic in the worst
 * order, the figures and suspects it must give, a rebuild from the beginning giving the same, and bad input.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ConsoleTest {

    private static final Story STORY = new Story();

    @Inject
    DeliveryGauges gauges;

    @BeforeAll
    static void publishTheStory() {
        List<ProducerRecord<String, byte[]>> records = STORY.recordsOutOfOrder();
        for (ProducerRecord<String, byte[]> record : records) {
            KafkaProbe.send(record);
        }
    }

    private static JsonPath delivery(boolean expand) {
        return given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("from", "2026-11-20T10:00:00Z").queryParam("to", "2026-11-20T12:00:00Z")
                .queryParam("expand", expand)
                .get("/metrics/delivery").then().statusCode(200).extract().jsonPath();
    }

    private static void awaitTheWholeStory() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath report = delivery(false);
            assertThat(report.getInt("releases.changeFailureRate.failures")).isEqualTo(1);
            assertThat(report.getInt("deploys.timeToRestore.count")).isEqualTo(1);
            assertThat(report.getInt("deploys.leadTime.count")).isEqualTo(1);
            assertThat(report.getInt("releases.leadTimeToEveryone.count")).isEqualTo(1);
        });
    }

    @Test
    void theFourKeysOfTheStoryAreTheHandComputedOnes() {
        awaitTheWholeStory();
        JsonPath report = delivery(false);

        assertThat(report.getString("leadTimeStart")).isEqualTo("build finish (events carry no commit time)");
        assertThat(report.getInt("deploys.frequency.count")).isEqualTo(1);
        assertThat(report.getDouble("deploys.frequency.perDay")).isEqualTo(12.0);
        assertThat(report.getDouble("deploys.leadTime.medianSeconds")).isEqualTo(1200.0);
        assertThat(report.getInt("deploys.changeFailureRate.changes")).isEqualTo(1);
        assertThat(report.getDouble("deploys.changeFailureRate.rate")).isEqualTo(1.0);
        assertThat(report.getDouble("deploys.timeToRestore.medianSeconds")).isEqualTo(120.0);
        assertThat(report.getInt("releases.frequency.count")).isEqualTo(2);
        assertThat(report.getDouble("releases.leadTimeToFirstExposure.medianSeconds")).isEqualTo(1500.0);
        assertThat(report.getDouble("releases.leadTimeToEveryone.medianSeconds")).isEqualTo(2400.0);
        assertThat(report.getInt("releases.changeFailureRate.changes")).isEqualTo(2);
        assertThat(report.getDouble("releases.changeFailureRate.rate")).isEqualTo(0.5);
        assertThat(report.getLong("releases.changeFailureRate.byCause.'rolled back because its code left'"))
                .isEqualTo(1);
        assertThat(report.getInt("releases.timeToRestore.count")).isZero();
        assertThat(report.getList("deploys.frequency.items")).isNull();
    }

    @Test
    void expandedFiguresNameTheEventsTheyComeFrom() {
        awaitTheWholeStory();
        JsonPath report = delivery(true);

        EventEnvelope rollback = STORY.event(DeploymentRolledBack.class, 0);
        EventEnvelope rollbackSuccess = STORY.event(DeploymentSucceeded.class, 2);
        EventEnvelope firstDeploy = STORY.event(DeploymentSucceeded.class, 1);
        assertThat(report.getList("deploys.changeFailureRate.items[0].events", String.class))
                .containsExactly(firstDeploy.id().toString(), rollback.id().toString());
        assertThat(report.getList("deploys.timeToRestore.items[0].events", String.class))
                .contains(rollbackSuccess.id().toString(), rollback.id().toString());
        assertThat(report.getList("releases.changeFailureRate.items[0].events", String.class))
                .containsExactly(STORY.event(FeatureRolledBack.class, 0).id().toString());
        assertThat(report.getList("releases.leadTimeToFirstExposure.items[0].events", String.class))
                .endsWith(firstDeploy.id().toString(), STORY.event(FeatureReleased.class, 0).id().toString());
    }

    @Test
    void suspectsRankTheWideFlagStepAboveTheDeployAndExplainEachScore() {
        awaitTheWholeStory();
        JsonPath answer = given().queryParam("at", "2026-11-20T10:45:00Z").queryParam("window", "30m")
                .get("/environments/{env}/suspects", STORY.environment).then().statusCode(200).extract().jsonPath();

        // (10:15, 10:45]: newest first; the 50 % -> 100 % step (0.50 x 0.71) and the 10 % -> 50 % one (0.40 x 0.35)
        // outrank the deploy of 1.4 (0.25 x 0.18) and the 0 -> 10 % change (0.10 x 0.25).
        List<String> kinds = answer.getList("changes.kind");
        assertThat(kinds).hasSize(7);
        assertThat(answer.getString("changes.find { it.rank == 1 }.summary")).endsWith("50% -> 100%");
        assertThat(answer.getString("changes.find { it.rank == 2 }.summary")).endsWith("10% -> 50%");
        assertThat(answer.getString("changes.find { it.rank == 3 }.kind")).isEqualTo("DEPLOYED");
        assertThat(answer.getString("changes.find { it.rank == 3 }.buildId")).isEqualTo("b14-" + STORY.application);
        assertThat(answer.getString("changes.find { it.rank == 3 }.commit")).isEqualTo("c1.4");
        assertThat(answer.getString("changes.find { it.rank == 4 }.summary")).endsWith("0% -> 10%");
        assertThat(answer.getString("changes.find { it.rank == 1 }.explanation"))
                .contains("breadth 0.50 × recency 0.71 (5m before, half-life 10m)");
        assertThat(answer.getList("changes.correlationId", String.class)).containsOnly("corr-" + STORY.application);
        assertThat(answer.getList("changes.at", String.class)).isSortedAccordingTo((a, b) ->
                Instant.parse(b).compareTo(Instant.parse(a)));
    }

    @Test
    void aRebuildFromTheBeginningGivesTheSameFiguresAndSuspects() {
        awaitTheWholeStory();
        String before = given().queryParam("application", STORY.application)
                .queryParam("environment", STORY.environment).queryParam("from", "2026-11-20T10:00:00Z")
                .queryParam("to", "2026-11-20T12:00:00Z").queryParam("expand", true)
                .get("/metrics/delivery").then().statusCode(200).extract().asString();
        String suspectsBefore = given().queryParam("at", "2026-11-20T11:15:00Z")
                .get("/environments/{env}/suspects", STORY.environment).then().statusCode(200).extract().asString();

        given().post("/read-model/rebuild").then().statusCode(200).body("events", org.hamcrest.Matchers.greaterThan(0));

        String after = given().queryParam("application", STORY.application)
                .queryParam("environment", STORY.environment).queryParam("from", "2026-11-20T10:00:00Z")
                .queryParam("to", "2026-11-20T12:00:00Z").queryParam("expand", true)
                .get("/metrics/delivery").then().statusCode(200).extract().asString();
        String suspectsAfter = given().queryParam("at", "2026-11-20T11:15:00Z")
                .get("/environments/{env}/suspects", STORY.environment).then().statusCode(200).extract().asString();
        assertThat(after).isEqualTo(before);
        assertThat(suspectsAfter).isEqualTo(suspectsBefore);
    }

    @Test
    void anEventTypeTheConsoleCannotReadGoesToTheDeadLetterTopicAndTheNextOneIsApplied() {
        String environment = "env-next-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope later = new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf("deploy-orchestrator"),
                "environment:" + environment, 1, Instant.now(), null, null, "sre", null,
                new EnvironmentDefined(environment, null, false, false, new Target("external", null, null, null)));
        ProducerRecord<String, byte[]> unknown = CloudEventCodec.toRecord(later);
        unknown.headers().remove("ce_type").add("ce_type",
                "dev.twostep.environment.renamed.v1".getBytes(StandardCharsets.UTF_8));
        unknown.headers().remove("ce_id").add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

        KafkaProbe.send(unknown, CloudEventCodec.toRecord(later));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/environments").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.hasKey(environment)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(KafkaProbe.readAll(Topics.deadLetter(Topics.DEPLOYMENT_EVENTS)))
                        .anySatisfy(record -> assertThat(KafkaProbe.header(record, "dead-letter-reason"))
                                .contains("unknown event type 'dev.twostep.environment.renamed.v1'")));
    }

    @Test
    void theKeysAreGaugesPerApplicationAndEnvironmentAndTheApiIsDescribed() {
        awaitTheWholeStory();
        gauges.refresh();

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String tags = "{application=\"" + STORY.application + "\",environment=\"" + STORY.environment + "\"}";
        for (String gauge : List.of("deployments_per_day", "releases_per_day", "lead_time_to_deploy_seconds",
                "lead_time_to_exposure_seconds", "lead_time_to_everyone_seconds", "deploy_change_failure_ratio",
                "release_change_failure_ratio", "deploy_time_to_restore_seconds", "release_time_to_restore_seconds")) {
            assertThat(metrics).contains("twostep_delivery_" + gauge + tags);
        }
        given().get("/q/openapi").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/metrics/delivery"))
                .body(org.hamcrest.Matchers.containsString("/environments/{environment}/suspects"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aRevokedApiKeyIsASuspectInEveryEnvironmentAndAnIssuedOneInItsOwn() {
        awaitTheWholeStory();
        Instant now = Instant.now();
        String keyId = "key-" + UUID.randomUUID();
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), keyId, 1, now.minusSeconds(60), "corr-key", null, "carol",
                null, new ApiKeyIssued(keyId, "storefront", List.of(STORY.environment)))));
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                EventEnvelope.sourceOf("release-controller"), keyId, 2, now.minusSeconds(30), "corr-key", null, "sam",
                null, new ApiKeyRevoked(keyId, "storefront"))));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath answer = given().queryParam("at", now.toString()).queryParam("window", "5m")
                    .get("/environments/{env}/suspects", STORY.environment).then().statusCode(200).extract()
                    .jsonPath();
            assertThat(answer.getList("changes.kind", String.class))
                    .containsSubsequence("API_KEY_REVOKED", "API_KEY_ISSUED");
            assertThat(answer.getString("changes.find { it.kind == 'API_KEY_REVOKED' }.actor")).isEqualTo("sam");
        });
        String otherEnvironment = given().get("/environments").then().statusCode(200).extract().jsonPath()
                .getMap("$").keySet().stream().map(Object::toString).filter(env -> !env.equals(STORY.environment))
                .findFirst().orElseThrow();
        given().queryParam("at", now.toString()).queryParam("window", "5m")
                .get("/environments/{env}/suspects", otherEnvironment).then().statusCode(200)
                .body("changes.kind", hasItem("API_KEY_REVOKED"))
                .body("changes.kind", org.hamcrest.Matchers.not(hasItem("API_KEY_ISSUED")));
    }

    @Test
    void aNamedVariantsRolloutStepIsScoredByItsShareAndAHandSetDefinitionIsASuspectToo() {
        awaitTheWholeStory();
        Instant now = Instant.now();
        String feature = "theme-" + UUID.randomUUID();
        String rolloutId = "ro-" + UUID.randomUUID();
        JsonNode definition = EventJson.mapper().valueToTree(java.util.Map.of("state", "ENABLED",
                "defaultVariant", "classic", "variants", java.util.Map.of("classic", "classic", "dark", "dark")));
        long sequence = 0;
        for (Double step : java.util.Arrays.asList(10.0, 50.0, null)) {
            KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(),
                    EventEnvelope.sourceOf("release-controller"), feature, ++sequence,
                    now.minusSeconds(90 - 30 * sequence), "corr-theme", null, "carol", null,
                    new FeatureDefinitionSet(feature, STORY.environment, definition, java.util.Map.of(),
                            step == null ? "segment staff changed" : "rollout step", rolloutId,
                            ReleaseEvent.FLAGD_FRACTIONAL_100K, step))));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath answer = given().queryParam("at", now.toString()).queryParam("window", "5m")
                    .get("/environments/{env}/suspects", STORY.environment).then().statusCode(200).extract()
                    .jsonPath();
            List<java.util.Map<String, Object>> ours = answer.getList("changes.findAll { it.featureKey == '"
                    + feature + "' }");
            assertThat(ours).extracting(change -> change.get("kind"))
                    .containsExactly("DEFINITION_SET", "ROLLOUT_STEP", "ROLLOUT_STEP");
            assertThat(ours.get(1).get("summary").toString()).contains("10% -> 50%");
            assertThat(ours.get(1).get("explanation").toString()).contains("40% of users changed");
        });
    }

    @Test
    void badInputIsAProblemThatNamesTheParameter() {
        awaitTheWholeStory();
        given().queryParam("environment", STORY.environment).get("/metrics/delivery").then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", hasItem("application"));
        given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("from", "2026-11-21T00:00:00Z").queryParam("to", "2026-11-20T00:00:00Z")
                .get("/metrics/delivery").then().statusCode(400).body("violations.field", hasItem("from"));
        given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("from", "2020-01-01T00:00:00Z").queryParam("to", "2026-11-20T00:00:00Z")
                .get("/metrics/delivery").then().statusCode(400).body("violations.field", hasItem("from"))
                .body("detail", org.hamcrest.Matchers.containsString("longer than the longest served"));
        given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("to", "yesterday").get("/metrics/delivery").then().statusCode(400)
                .body("violations.field", hasItem("to"));
        given().queryParam("application", STORY.application).queryParam("environment", STORY.environment)
                .queryParam("expand", "maybe").get("/metrics/delivery").then().statusCode(400)
                .body("violations.field", hasItem("expand"));
        given().queryParam("application", "no-such-app").queryParam("environment", STORY.environment)
                .get("/metrics/delivery").then().statusCode(404).contentType("application/problem+json")
                .body("violations.field", hasItem("application"));
        given().queryParam("application", STORY.application).queryParam("environment", "no-such-env")
                .get("/metrics/delivery").then().statusCode(404).body("violations.field", hasItem("environment"));
        given().get("/environments/{env}/suspects", "no-such-env").then().statusCode(404)
                .body("violations.field", hasItem("environment"));
        given().queryParam("window", "soon").get("/environments/{env}/suspects", STORY.environment).then()
                .statusCode(400).body("violations.field", hasItem("window"));
        given().queryParam("window", "0m").get("/environments/{env}/suspects", STORY.environment).then()
                .statusCode(400).body("violations.field", hasItem("window"));
        given().queryParam("window", "400d").get("/environments/{env}/suspects", STORY.environment).then()
                .statusCode(400).body("violations.field", hasItem("window"));
        given().queryParam("at", "10:07").get("/environments/{env}/suspects", STORY.environment).then()
                .statusCode(400).body("violations.field", hasItem("at"), "status", equalTo(400));
    }
}
