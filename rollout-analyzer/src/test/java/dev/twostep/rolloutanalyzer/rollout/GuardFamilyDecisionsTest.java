package dev.twostep.rolloutanalyzer.rollout;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * A rollout with several guards on the real broker and database: pushed samples name the guard they count for,
 * each decision carries every guard's evidence and names the one that decided, and a dry-run guard is recorded
 * without acting until a rejudge lets it act.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class GuardFamilyDecisionsTest {

    private static final Guard ERRORS = new Guard("errorRate", 1.0, 0.95);
    private static final Guard LATENCY = new Guard("latency", 1.0, 0.95, "slow-checkout", null, null);
    private static final Guard DRY_LATENCY = new Guard("latency", 1.0, 0.95, "slow-checkout", true, null);

    private final String correlationId = UUID.randomUUID().toString();
    private final String feature = "feature-" + UUID.randomUUID();
    private final String rolloutId = "rollout-" + UUID.randomUUID();
    private long sequence;

    @Test
    void theGuardThatShowsARegressionRollsTheStepBackAndEveryGuardsEvidenceIsRecorded() {
        start(List.of(ERRORS, LATENCY));
        samples(sample(null, "off", 40_000, 400), sample(null, "on", 40_000, 400),
                sample("slow-checkout", "off", 40_000, 400), sample("slow-checkout", "on", 40_000, 1_600));

        RolloutDecisionEvent decision = awaitDecision();

        assertThat(decision).isInstanceOf(RolloutRollbackDecided.class);
        assertThat(decision.evidence().decidedBy()).isEqualTo("slow-checkout");
        assertThat(decision.evidence().summary()).startsWith("guard slow-checkout: treatment 4.0% of 40,000");
        assertThat(decision.evidence().guards()).extracting(GuardEvidence::name, GuardEvidence::verdict,
                GuardEvidence::acting).containsExactly(tuple("errorRate", "advance", true),
                tuple("slow-checkout", "rollback", true));
        given().get("/rollouts/{id}/decisions", rolloutId).then().statusCode(200)
                .body("[0].decision.evidence.decidedBy", equalTo("slow-checkout"))
                .body("[0].decision.evidence.guards[1].treatment.errors", equalTo(1_600));
    }

    @Test
    void aDryRunGuardIsRecordedButDoesNotActUntilARejudgeLetsIt() {
        start(List.of(ERRORS, DRY_LATENCY));
        samples(sample(null, "off", 40_000, 400), sample(null, "on", 40_000, 400),
                sample("slow-checkout", "off", 40_000, 400), sample("slow-checkout", "on", 40_000, 1_600));

        RolloutDecisionEvent decision = awaitDecision();

        assertThat(decision).isInstanceOf(RolloutAdvanceDecided.class);
        assertThat(decision.evidence().decidedBy()).isEqualTo("errorRate");
        assertThat(decision.evidence().guards().get(1)).extracting(GuardEvidence::acting, GuardEvidence::verdict)
                .containsExactly(false, "rollback");
        assertThat(decision.evidence().summary()).endsWith("; dry-run slow-checkout: rollback");
        given().contentType(ContentType.JSON).body("{\"policy\":{\"acting\":[\"slow-checkout\"]}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(200)
                .body("steps[0].verdict", equalTo("rollback"))
                .body("steps[0].evidence.decidedBy", equalTo("slow-checkout"))
                .body("policy.guards[1].acting", equalTo(true));
        given().contentType(ContentType.JSON).body("{\"policy\":{\"acting\":[\"no-such-guard\"]}}")
                .post("/rollouts/{id}/rejudge", rolloutId).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("policy.acting[0]"));
    }

    @Test
    void aStepWaitingForDataSaysWhatItStillNeeds() {
        start(List.of(ERRORS, LATENCY));
        samples(sample(null, "off", 900, 9), sample(null, "on", 100, 1),
                sample("slow-checkout", "off", 900, 9), sample("slow-checkout", "on", 100, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/rollouts/{id}", rolloutId).then()
                .statusCode(200)
                .body("waiting.forecast.moreTreatmentRequests", greaterThanOrEqualTo(900))
                .body("waiting.summary", containsString("; needs about "))
                .body("waiting.guards.size()", equalTo(2)));
    }

    private void release(TwostepEvent event) {
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                event.aggregateId(), ++sequence, Instant.now(), correlationId, null, "release-manager", null, event)));
    }

    private void start(List<Guard> guards) {
        Plan plan = new Plan(List.of(10.0, 100.0), 1000, Duration.ZERO, Duration.ofHours(1), guards.getFirst(), guards);
        release(new RolloutStarted(rolloutId, feature, "prod", plan));
        release(new FeatureReleased(feature, "prod", new Audience(10.0, List.of()), Audience.NOBODY, "rollout starts",
                rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K));
        // the step arrives keyed by feature, the rollout by its id: wait until the analyzer has both
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/rollouts/{id}", rolloutId).then()
                .statusCode(200).body("steps.size()", equalTo(1)));
    }

    private String sample(String metric, String variant, long requests, long errors) {
        Instant start = Instant.now();
        return """
                {"sampleId":"%s","application":"checkout","environment":"prod","featureKey":"%s","variant":"%s",
                 "windowStart":"%s","windowEnd":"%s","requests":%d,"errors":%d%s}"""
                .formatted(UUID.randomUUID(), feature, variant, start, start.plusSeconds(10), requests, errors,
                        metric == null ? "" : ",\"metric\":\"" + metric + "\"");
    }

    /** One batch, stored in one transaction, so the judge sees every guard's samples at the same look. */
    private void samples(String... samples) {
        given().contentType(ContentType.JSON).body("{\"samples\":[" + String.join(",", samples) + "]}")
                .post("/metrics").then().statusCode(202);
    }

    private RolloutDecisionEvent awaitDecision() {
        List<RolloutDecisionEvent> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream().filter(record -> rolloutId.equals(record.key()))
                    .map(record -> (RolloutDecisionEvent) CloudEventCodec.fromRecord(record).data())
                    .forEach(found::add);
            return !found.isEmpty();
        });
        return found.getFirst();
    }
}
