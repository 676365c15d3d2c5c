package dev.twostep.rolloutanalyzer.rollout;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import dev.twostep.rolloutanalyzer.decision.Policy;
import dev.twostep.rolloutanalyzer.decision.RolloutJudge;
import dev.twostep.rolloutanalyzer.decision.StepObservation;
import dev.twostep.rolloutanalyzer.decision.Verdict;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.RelayDrain;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The analyzer on the real broker and database. The test plays the release-controller: it starts rollouts and
 * widens them on the release topic, and sends metric samples over HTTP.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class RolloutDecisionsTest {

    private static final Guard GUARD = new Guard("errorRate", 1.0, 0.95);

    @Inject
    AgroalDataSource dataSource;

    private final String correlationId = UUID.randomUUID().toString();
    private final String feature = "feature-" + UUID.randomUUID();
    private final String rolloutId = "rollout-" + UUID.randomUUID();
    private long sequence;

    private void release(TwostepEvent event) {
        String subject = event.aggregateId();
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                subject, ++sequence, Instant.now(), correlationId, null, "release-manager", null, event)));
    }

    private void start(Plan plan) {
        release(new RolloutStarted(rolloutId, feature, "prod", plan));
        release(new FeatureReleased(feature, "prod", new Audience(plan.steps().getFirst(), List.of()),
                Audience.NOBODY, "rollout starts", rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K));
    }

    private void widenTo(double percent, double from) {
        release(new FeatureReleased(feature, "prod", new Audience(percent, List.of()), new Audience(from, List.of()),
                "rollout advances", rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K));
    }

    /** A window that starts now, after the step it belongs to began and before the next one begins. */
    private void traffic(String variant, long requests, long errors) {
        Instant start = Instant.now();
        given().contentType(ContentType.JSON).body("""
                {"samples":[{"sampleId":"%s","application":"checkout","environment":"prod","featureKey":"%s",
                 "variant":"%s","windowStart":"%s","windowEnd":"%s","requests":%d,"errors":%d}]}"""
                .formatted(UUID.randomUUID(), feature, variant, start, start.plusSeconds(10), requests, errors))
                .post("/metrics").then().statusCode(202);
    }

    private List<RolloutDecisionEvent> decisions() {
        return KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream()
                .filter(record -> rolloutId.equals(record.key()))
                .map(CloudEventCodec::fromRecord)
                .map(envelope -> (RolloutDecisionEvent) envelope.data())
                .toList();
    }

    private RolloutDecisionEvent awaitDecision(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions().size() >= count);
        return decisions().get(count - 1);
    }

    @Test
    void aHealthyStreamAdvancesEveryStepAndTheFullStepIsJudgedAgainstTheEarlierControl() {
        start(new Plan(List.of(10.0, 50.0, 100.0), 1000, Duration.ZERO, Duration.ofHours(1), GUARD));
        traffic("off", 5000, 50);
        traffic("on", 5000, 50);
        RolloutDecisionEvent first = awaitDecision(1);
        assertThat(first).isInstanceOfSatisfying(RolloutAdvanceDecided.class, advance -> {
            assertThat(advance.step()).isEqualTo(1);
            assertThat(advance.fromPercent()).isEqualTo(10.0);
            assertThat(advance.toPercent()).isEqualTo(50.0);
            assertThat(advance.evidence().treatment().requests()).isEqualTo(5000);
            assertThat(advance.evidence().summary()).contains("treatment 1.0% of 5,000 vs control 1.0% of 5,000");
        });

        widenTo(50.0, 10.0);
        traffic("off", 5000, 50);
        traffic("on", 5000, 50);
        assertThat(awaitDecision(2)).isInstanceOf(RolloutAdvanceDecided.class).extracting(RolloutDecisionEvent::step)
                .isEqualTo(2);

        widenTo(100.0, 50.0);
        traffic("on", 5000, 50);
        RolloutDecisionEvent last = awaitDecision(3);
        assertThat(last).isInstanceOfSatisfying(RolloutAdvanceDecided.class, advance -> {
            assertThat(advance.toPercent()).isEqualTo(100.0);
            assertThat(advance.evidence().baseline()).contains("pooled control");
            assertThat(advance.evidence().control().requests()).isEqualTo(10_000);
        });

        ConsumerRecord<String, byte[]> record = KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream()
                .filter(r -> rolloutId.equals(r.key())).findFirst().orElseThrow();
        assertThat(KafkaProbe.header(record, "ce_correlationid")).isEqualTo(correlationId);
        assertThat(KafkaProbe.header(record, "ce_actor")).isEqualTo("rollout-analyzer");

        given().get("/rollouts/{id}", rolloutId).then().statusCode(200)
                .body("currentStep", equalTo(3)).body("decisions", equalTo(3)).body("steps", hasSize(3));
        given().get("/rollouts/{id}/decisions", rolloutId).then().statusCode(200)
                .body("", hasSize(3)).body("[0].type", equalTo("dev.twostep.rollout.advancedecided.v1"))
                .body("[0].decision.evidence.method", org.hamcrest.Matchers.startsWith("always-valid one-sided mSPRT"));
        // The samples each step counted, for the console's chart: step 3 has only the treatment's
        given().get("/rollouts/{id}/samples", rolloutId).then().statusCode(200)
                .body("step", contains(1, 2, 3)).body("percent", contains(10.0f, 50.0f, 100.0f))
                .body("[0].samples.variant", containsInAnyOrder("off", "on"))
                .body("[0].samples.requests", contains(5000, 5000)).body("[0].samples.errors", contains(50, 50))
                .body("[2].samples.variant", contains("on"));
    }

    /**
     * A rollout of a flag definition's named variant: its steps are the definitions the release-controller writes
     * with a step percentage (the treatment's share); one written again within a step (a segment changed) begins
     * none. Pushed samples count the treatment as {@code on} and the control (the default variant) as {@code off}.
     */
    @Test
    void aNamedVariantsStepsBeginWithTheDefinitionsThatNameAStep() {
        Plan plan = new Plan(List.of(10.0, 50.0, 100.0), 1000, Duration.ZERO, Duration.ofHours(1), GUARD);
        release(new RolloutStarted(rolloutId, feature, "prod", plan, "dark", "classic"));
        release(definition(10.0));
        release(definition(null));
        traffic("off", 5000, 50);
        traffic("on", 5000, 50);

        assertThat(awaitDecision(1)).isInstanceOfSatisfying(RolloutAdvanceDecided.class, advance -> {
            assertThat(advance.step()).isEqualTo(1);
            assertThat(advance.toPercent()).isEqualTo(50.0);
        });
        release(definition(50.0));
        traffic("off", 5000, 50);
        traffic("on", 5000, 50);
        assertThat(awaitDecision(2)).isInstanceOf(RolloutAdvanceDecided.class).extracting(RolloutDecisionEvent::step)
                .isEqualTo(2);
        given().get("/rollouts/{id}", rolloutId).then().statusCode(200).body("currentStep", equalTo(2))
                .body("steps", hasSize(2));
    }

    private FeatureDefinitionSet definition(Double stepPercentage) {
        double share = stepPercentage == null ? 10.0 : stepPercentage;
        return new FeatureDefinitionSet(feature, "prod", EventJson.mapper().valueToTree(Map.of(
                "state", "ENABLED", "defaultVariant", "classic", "variants", Map.of("classic", "classic", "dark", "dark"),
                "targeting", Map.of("fractional", List.of(List.of("dark", share * 1000), List.of("classic",
                        (100 - share) * 1000))))), Map.of(), stepPercentage == null ? "segment staff changed"
                : "rollout advances", rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K, stepPercentage);
    }

    @Test
    void aRegressedStreamRollsBackAndTheStepGetsNoSecondDecision() {
        Plan plan = new Plan(List.of(10.0, 100.0), 1000, Duration.ofHours(1), Duration.ofHours(2), GUARD);
        start(plan);
        traffic("off", 2000, 20);
        traffic("on", 2000, 100);
        RolloutDecisionEvent decision = awaitDecision(1);
        assertThat(decision).isInstanceOfSatisfying(RolloutRollbackDecided.class, rollback -> {
            assertThat(rollback.step()).isEqualTo(1);
            assertThat(rollback.toPercent()).isZero();
            assertThat(rollback.evidence().statistic()).isGreaterThan(rollback.evidence().threshold());
            assertThat(rollback.evidence().summary()).contains("lower bound").contains("> 1pp at 95%");
        });

        // a program re-judges the decision from the event and the plan alone, and gets it to the last bit
        Evidence evidence = decision.evidence();
        Verdict again = RolloutJudge.judge(Policy.from(plan), StepObservation.withConcurrentControl(0,
                0, plan.steps().getFirst(), evidence.window().start(), evidence.window().end(), evidence.control(),
                evidence.treatment()));
        assertThat(again).isInstanceOf(Verdict.Rollback.class);
        assertThat(again.evidence().statistic()).isEqualTo(evidence.statistic());
        assertThat(again.evidence().summary()).isEqualTo(evidence.summary());

        // more bad traffic in the same step is judged no further: one decision per step
        traffic("on", 2000, 200);
        long before = KafkaProbe.endOffsetSum(Topics.ROLLOUT_EVENTS);
        given().get("/metrics/totals?featureKey={f}&environment=prod", feature).then().body("onRequests", equalTo(4000));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> KafkaProbe.endOffsetSum(Topics.ROLLOUT_EVENTS) == before);
        assertThat(decisions()).hasSize(1);
    }

    @Test
    void aStalledStreamIsHeldWithTheReason() {
        start(new Plan(List.of(5.0, 100.0), 1000, Duration.ZERO, Duration.ofSeconds(1), GUARD));
        traffic("off", 900, 9);
        traffic("on", 50, 1);
        assertThat(awaitDecision(1)).isInstanceOfSatisfying(RolloutHoldDecided.class, hold -> {
            assertThat(hold.toPercent()).isEqualTo(hold.fromPercent());
            assertThat(hold.evidence().summary()).contains("too few treatment requests (50 of 1,000 needed)");
        });
    }

    @Test
    void aHeldStepThatAPersonPromotesIsJudgedAtItsNewStep() {
        start(new Plan(List.of(5.0, 100.0), 1000, Duration.ZERO, Duration.ofSeconds(1), GUARD));
        traffic("off", 900, 9);
        traffic("on", 50, 1);
        assertThat(awaitDecision(1)).isInstanceOf(RolloutHoldDecided.class);

        // what the release-controller publishes for POST .../rollouts/promote
        release(new FeatureReleased(feature, "prod", new Audience(100.0, List.of()), new Audience(5.0, List.of()),
                "rollout " + rolloutId + " advances to step 2 (100%): promoted by hand: low traffic", rolloutId,
                ReleaseEvent.FLAGD_FRACTIONAL_100K));
        traffic("on", 50, 1);

        RolloutDecisionEvent second = awaitDecision(2);
        assertThat(second.step()).isEqualTo(2);
        assertThat(second.evidence().baseline()).startsWith("pooled control");
        assertThat(second.evidence().control().requests()).isEqualTo(900);
    }

    @Test
    void rejudgeReplaysTheRecordedSamplesUnderAnotherPolicyAndWritesNothing() {
        start(new Plan(List.of(10.0, 100.0), 1000, Duration.ofHours(1), Duration.ofHours(2), GUARD));
        traffic("off", 40_000, 400);
        traffic("on", 40_000, 600); // +0.5pp: within a 1pp guard, beyond a 0.1pp one
        // the step arrives keyed by feature, the rollout by its id: wait until the analyzer has both
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/rollouts/{id}", rolloutId).then()
                .statusCode(200).body("steps", hasSize(1)));
        RelayDrain.awaitPublished(dataSource);
        long before = KafkaProbe.endOffsetSum(Topics.ROLLOUT_EVENTS);

        given().contentType(ContentType.JSON).body("{\"policy\":{\"maxIncrease\":0.1,\"minStepDuration\":\"PT0S\"}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(200)
                .body("steps", hasSize(1)).body("steps[0].verdict", equalTo("rollback"))
                .body("policy.maxIncrease", equalTo(0.1f));
        given().contentType(ContentType.JSON).body("{\"policy\":{\"minStepDuration\":\"PT0S\"}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(200)
                .body("steps[0].verdict", equalTo("advance"));

        given().contentType(ContentType.JSON).body("{\"policy\":{\"confidence\":1.5}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("policy.confidence"));
        given().contentType(ContentType.JSON).body("{\"policy\":{\"maxStepDuration\":\"PT1S\",\"minStepDuration\":\"PT1M\"}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(400)
                .body("violations[0].field", equalTo("policy.maxStepDuration"));
        given().contentType(ContentType.JSON).body("{\"policy\":{}}")
                .post("/rollouts/{id}/rejudge", "no-such-rollout").then().statusCode(404);

        // A decision a rejudge appended would reach the topic only through the relay: wait until it has published.
        RelayDrain.awaitPublished(dataSource);
        assertThat(KafkaProbe.endOffsetSum(Topics.ROLLOUT_EVENTS)).isEqualTo(before);
    }
}
