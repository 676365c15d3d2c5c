package dev.twostep.releasecontroller;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.twostep.releasecontroller.TopicFixtures.PATIENCE;
import static dev.twostep.releasecontroller.TopicFixtures.RELEASED;
import static dev.twostep.releasecontroller.TopicFixtures.apiKey;
import static dev.twostep.releasecontroller.TopicFixtures.awaitPercentage;
import static dev.twostep.releasecontroller.TopicFixtures.changeTypes;
import static dev.twostep.releasecontroller.TopicFixtures.envelope;
import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.ofrep;
import static dev.twostep.releasecontroller.TopicFixtures.releaseEvents;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static dev.twostep.releasecontroller.TopicFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RolloutTest {

    private static final String PLAN = """
            {"steps": [5, 25, 100], "minRequestsPerStep": 100, "minStepDuration": "PT5M",
             "maxStepDuration": "PT1H", "guard": {"metric": "errorRate", "maxIncrease": 1.5, "confidence": 0.95}}""";
    private static final Evidence EVIDENCE = new Evidence(null, new Counts(1000, 5), new Counts(100, 1),
            "two-proportion z-test", 0.4, 1.64, "off arm", "healthy");

    private static String start(String feature) {
        return json(PLAN).post("/features/{key}/environments/prod/rollouts", feature).then().statusCode(201)
                .body("step", equalTo(1)).body("percentage", equalTo(5.0f)).body("status", equalTo("ACTIVE"))
                .extract().path("rolloutId");
    }

    private static EventEnvelope decided(RolloutDecisionEvent decision) {
        EventEnvelope envelope = envelope("/twostep/rollout-analyzer", decision);
        KafkaProbe.send(CloudEventCodec.toRecord(envelope));
        return envelope;
    }

    private static RolloutAdvanceDecided advance(String rolloutId, String feature, int step, double from,
                                                 double to) {
        return new RolloutAdvanceDecided("d-" + UUID.randomUUID(), rolloutId, feature, "prod", step, from, to, 1,
                EVIDENCE);
    }

    private static void awaitStep(String feature, int step) {
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/features/{key}", feature).then()
                .body("environments[0].activeRollout.step", equalTo(step)));
    }

    @Test
    void aPlanIsValidatedAndNeedsTheCodeDeployed() {
        String feature = shopRunning("prod").feature();
        json(PLAN.replace("[5, 25, 100]", "[5, 5, 100]")).post("/features/{key}/environments/prod/rollouts", feature)
                .then().statusCode(400).body("violations.field", contains("steps[1]"));
        json(PLAN.replace("[5, 25, 100]", "[0, 25]")).post("/features/{key}/environments/prod/rollouts", feature)
                .then().statusCode(400).body("detail", containsString("steps[0]"));
        json(PLAN.replace("[5, 25, 100]", "[5, 100.5]")).post("/features/{key}/environments/prod/rollouts", feature)
                .then().statusCode(400);
        json(PLAN.replace("\"PT5M\"", "\"five minutes\"")).post("/features/{key}/environments/prod/rollouts",
                feature).then().statusCode(400).body("detail", containsString("minStepDuration"));
        json(PLAN.replace("0.95", "1")).post("/features/{key}/environments/prod/rollouts", feature)
                .then().statusCode(400).body("detail", containsString("confidence"));
        json(PLAN).post("/features/{key}/environments/staging/rollouts", feature).then().statusCode(409)
                .body("detail", containsString("release needs deploy"));
        json(PLAN).post("/features/never-defined/environments/prod/rollouts").then().statusCode(404);

        start(feature);
        json(PLAN).post("/features/{key}/environments/prod/rollouts", feature).then().statusCode(409)
                .body("detail", containsString("already active"));
        assertThat(changeTypes(feature)).filteredOn(RELEASED::equals).hasSize(1);
    }

    @Test
    void aRetriedStartWithTheSameIdempotencyKeyFindsTheSameRollout() {
        String feature = shopRunning("prod").feature();
        String rolloutId = json(PLAN).header("Idempotency-Key", "k-1")
                .post("/features/{key}/environments/prod/rollouts", feature).then().statusCode(201)
                .extract().path("rolloutId");
        json(PLAN).header("Idempotency-Key", "k-1").post("/features/{key}/environments/prod/rollouts", feature)
                .then().statusCode(200).body("rolloutId", equalTo(rolloutId)).body("step", equalTo(1));
        json(PLAN.replace("[5, 25, 100]", "[10, 100]")).header("Idempotency-Key", "k-1")
                .post("/features/{key}/environments/prod/rollouts", feature).then().statusCode(409)
                .body("detail", containsString("another plan"));
        assertThat(changeTypes(feature)).filteredOn(RELEASED::equals).hasSize(1);
    }

    @Test
    void decisionsDriveARolloutToCompletionAndDuplicatesChangeNothing() {
        String feature = shopRunning("prod").feature();
        String rolloutId = start(feature);
        given().get("/features/{key}", feature).then().statusCode(200)
                .body("environments[0].activeRollout.rolloutId", equalTo(rolloutId))
                .body("environments[0].activeRollout.plan.steps", contains(5.0f, 25.0f, 100.0f));

        EventEnvelope first = decided(advance(rolloutId, feature, 1, 5, 25));
        awaitStep(feature, 2);
        // The same record again (the inbox drops it) and the same verdict in a new event (the step moved on).
        KafkaProbe.send(CloudEventCodec.toRecord(first));
        decided(advance(rolloutId, feature, 1, 5, 25));
        decided(new RolloutHoldDecided("d-hold", rolloutId, feature, "prod", 2, 25, 25, 1, EVIDENCE));
        decided(advance(rolloutId, feature, 2, 25, 100));
        awaitStep(feature, 3);
        awaitPercentage(feature, "prod", 100f);
        decided(advance(rolloutId, feature, 3, 100, 100));

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/features/{key}", feature).then()
                .body("environments[0].activeRollout", nullValue()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(rolloutId))
                .extracting(e -> e.getClass().getSimpleName()).containsExactly("RolloutStarted", "RolloutCompleted"));
        List<ReleaseEvent> releases = releaseEvents(feature);
        assertThat(releases).filteredOn(FeatureReleased.class::isInstance)
                .extracting(e -> ((FeatureReleased) e).audience().percentage(), e -> ((FeatureReleased) e).rolloutId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5.0, rolloutId),
                        org.assertj.core.groups.Tuple.tuple(25.0, rolloutId),
                        org.assertj.core.groups.Tuple.tuple(100.0, rolloutId));
        assertThat(((FeatureReleased) releases.get(2)).reason())
                .isEqualTo("rollout " + rolloutId + " advances to step 2 (25%): decision "
                        + ((RolloutAdvanceDecided) first.data()).decisionId());
        assertThat(KafkaProbe.readAll(Topics.RELEASE_EVENTS)).filteredOn(r -> feature.equals(r.key()))
                .filteredOn(r -> first.id().toString().equals(KafkaProbe.header(r, "ce_causationid")))
                .as("the widening continues the decision's story").singleElement()
                .extracting(r -> KafkaProbe.header(r, "ce_correlationid")).isEqualTo(first.correlationId());
        assertThat(changeTypes(feature)).containsExactly("dev.twostep.feature.defined.v1",
                "dev.twostep.rollout.started.v1", RELEASED, RELEASED, RELEASED, "dev.twostep.rollout.completed.v1");
        given().header("X-API-Key", apiKey("prod", "dev")).post("/ofrep/v1/evaluate/flags/" + feature).then()
                .statusCode(400);
        ofrep("{\"context\": {\"environment\": \"prod\", \"targetingKey\": \"u\"}}")
                .post("/ofrep/v1/evaluate/flags/{key}", feature).then().body("value", equalTo(true))
                .body("metadata.rolloutId", equalTo(rolloutId));
    }

    @Test
    void aPersonPromotesAHeldRolloutStepByStepToCompletion() {
        String feature = shopRunning("prod").feature();
        String rolloutId = start(feature);
        decided(new RolloutHoldDecided("d-held", rolloutId, feature, "prod", 1, 5, 5, 1, EVIDENCE));

        json("{}").post("/features/{key}/environments/prod/rollouts/promote", feature).then().statusCode(400)
                .body("violations[0].field", equalTo("reason"));
        json("{\"reason\": \"too little traffic to judge; error rates checked by hand\"}")
                .post("/features/{key}/environments/prod/rollouts/promote", feature).then().statusCode(200)
                .body("environments[0].activeRollout.step", equalTo(2));
        awaitPercentage(feature, "prod", 25f);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(feature))
                .filteredOn(FeatureReleased.class::isInstance).last().extracting("reason")
                .isEqualTo("rollout " + rolloutId + " advances to step 2 (25%): promoted by hand: too little traffic "
                        + "to judge; error rates checked by hand"));

        json("{\"reason\": \"go\"}").post("/features/{key}/environments/prod/rollouts/promote", feature)
                .then().statusCode(200);
        json("{\"reason\": \"go\"}").post("/features/{key}/environments/prod/rollouts/promote", feature)
                .then().statusCode(200).body("environments[0].activeRollout", nullValue());
        awaitPercentage(feature, "prod", 100f);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(rolloutId))
                .extracting(e -> e.getClass().getSimpleName()).containsExactly("RolloutStarted", "RolloutCompleted"));
        json("{\"reason\": \"go\"}").post("/features/{key}/environments/prod/rollouts/promote", feature)
                .then().statusCode(409).body("detail", containsString("no rollout"));
    }

    @Test
    void aRollbackDecisionSwitchesOffAndALateAdvanceChangesNothing() {
        String feature = shopRunning("prod").feature();
        String rolloutId = start(feature);

        decided(new RolloutRollbackDecided("d-bad", rolloutId, feature, "prod", 1, 5, 0, 1, EVIDENCE));
        awaitPercentage(feature, "prod", 0f);
        decided(advance(rolloutId, feature, 1, 5, 25));
        decided(advance("ro-" + unique("unknown"), feature, 1, 5, 25));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(rolloutId))
                .extracting(e -> e.getClass().getSimpleName()).containsExactly("RolloutStarted", "RolloutAborted"));
        assertThat(releaseEvents(feature)).filteredOn(FeatureRolledBack.class::isInstance).singleElement()
                .extracting("decisionId").isEqualTo("d-bad");
        given().get("/features/{key}", feature).then().body("environments[0].activeRollout", nullValue());
        // A second rollout after the first ended is allowed, and a manual audience change aborts it.
        String second = start(feature);
        json("{\"percentage\": 100, \"reason\": \"ship it\"}")
                .put("/features/{key}/environments/prod/audience", feature).then().statusCode(200)
                .body("environments[0].activeRollout", nullValue());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(releaseEvents(second))
                .filteredOn(RolloutAborted.class::isInstance).singleElement()
                .extracting("reason").isEqualTo("audience set by hand: ship it"));
        assertThat(releaseEvents(feature)).filteredOn(FeatureReleased.class::isInstance).hasSize(3);
        assertThat(releaseEvents(rolloutId)).noneMatch(RolloutCompleted.class::isInstance)
                .anyMatch(RolloutStarted.class::isInstance);
    }
}
