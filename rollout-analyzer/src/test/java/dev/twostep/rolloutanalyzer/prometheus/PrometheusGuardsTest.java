package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.MetricSource;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import dev.twostep.rolloutanalyzer.decision.GuardLook;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusGuardSource.Look;
import dev.twostep.rolloutanalyzer.prometheus.VariantMetricsApp.Behaviour;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import dev.twostep.testing.TestPrometheus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Rollouts judged from a real Prometheus that scrapes an application's request metrics every second: the
 * treatment's and the control's counts come from PromQL templates, each decision names its queries and counts,
 * a healthy variant reaches 100 %, a variant whose latency regressed is rolled back by the latency guard, a
 * Prometheus that is away gives "no data" and a hold, and a query Prometheus refuses is a 400 before the start.
 * Every look is kept, so a rejudge replays a Prometheus-judged rollout, with a dry-run guard made acting if asked.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class PrometheusGuardsTest {

    private static final String SELECTOR = "app=\"{{application}}\",feature=\"{{feature}}\",variant=\"{{variant}}\"";
    private static final String TOTAL = "sum(increase(http_server_requests_seconds_count{" + SELECTOR + "}[{{window}}]))";
    private static final String FAST = "sum(increase(http_server_requests_seconds_bucket{" + SELECTOR
            + ",le=\"0.3\"}[{{window}}]))";
    private static final String ERRORS = "sum(increase(http_server_errors_total{" + SELECTOR + "}[{{window}}]))";
    private static final Behaviour HEALTHY = new Behaviour(0.01, 0.005);

    private static VariantMetricsApp app;

    @Inject
    GuardPolls polls;
    private static TestPrometheus prometheus;

    private final String correlationId = UUID.randomUUID().toString();
    private long sequence;

    @BeforeAll
    static void startApplicationAndPrometheus() {
        app = new VariantMetricsApp(2_000, HEALTHY);
        prometheus = TestPrometheus.scraping(app.target());
    }

    @AfterAll
    static void stop() {
        prometheus.close();
        app.close();
    }

    @Test
    void aHealthyVariantReachesEveryoneJudgedOnItsQueries() {
        String feature = feature(HEALTHY);
        String rolloutId = start(feature, guards(prometheus.url().toString()), Duration.ofMinutes(10));

        RolloutDecisionEvent first = awaitDecision(rolloutId, 1);
        widen(feature, rolloutId, 100, 20);
        RolloutDecisionEvent last = awaitDecision(rolloutId, 2);

        assertThat(first).isInstanceOf(RolloutAdvanceDecided.class);
        assertThat(last).isInstanceOf(RolloutAdvanceDecided.class);
        assertThat(last.evidence().baseline()).startsWith("pooled control");
        for (GuardEvidence guard : first.evidence().guards()) {
            assertThat(guard.verdict()).isEqualTo("advance");
            assertThat(guard.treatment().requests()).isPositive();
            assertThat(guard.control().requests()).isGreaterThan(guard.treatment().requests());
            assertThat(guard.source().noData()).isNull();
            assertThat(guard.source().queries()).hasSize(4).allMatch(query -> query.contains("feature=\"" + feature + "\""));
            assertThat(guard.source().queries().getFirst()).contains("variant=\"on\"").matches(".*\\[[0-9]+s]\\)\\)");
        }
    }

    @Test
    void aVariantWhoseLatencyRegressedIsRolledBackByTheLatencyGuard() {
        String feature = feature(new Behaviour(0.06, 0.005));
        String rolloutId = start(feature, guards(prometheus.url().toString()), Duration.ofMinutes(10));

        RolloutDecisionEvent decision = awaitDecision(rolloutId, 1);

        assertThat(decision).isInstanceOf(RolloutRollbackDecided.class);
        assertThat(decision.evidence().decidedBy()).isEqualTo("slow-requests");
        GuardEvidence latency = decision.evidence().guards().get(1);
        assertThat(latency.verdict()).isEqualTo("rollback");
        assertThat((double) latency.treatment().errors() / latency.treatment().requests()).isBetween(0.03, 0.09);
        assertThat(latency.source().queries().get(1)).contains("le=\"0.3\"");
    }

    @Test
    void aPrometheusThatIsAwayGivesNoDataAndTheStepHolds() {
        String feature = feature(HEALTHY);
        TestPrometheus away = TestPrometheus.scraping(app.target());
        String url = away.url().toString();
        away.close();

        String rolloutId = start(feature, guards(url), Duration.ofSeconds(15));
        RolloutDecisionEvent decision = awaitDecision(rolloutId, 1);

        assertThat(decision).isInstanceOf(RolloutHoldDecided.class);
        assertThat(decision.evidence().guards()).allSatisfy(guard -> {
            assertThat(guard.source().noData()).startsWith("unreachable: " + url);
            assertThat(guard.treatment().requests()).isZero();
        });
        assertThat(decision.evidence().summary()).contains("no data (unreachable");
    }

    @Test
    void aQueryPrometheusRefusesOrOneThatNamesNoSeriesIsRefusedBeforeTheStart() {
        String feature = feature(HEALTHY);
        String url = prometheus.url().toString();
        Guard broken = new Guard("latency", 1.0, 0.95, "slow-requests", null,
                new MetricSource("prometheus", url, "checkout", "sum(rate(http_server_requests_seconds_count[5m]", FAST, null));
        Guard nothing = new Guard("latency", 1.0, 0.95, "slow-requests", null,
                new MetricSource("prometheus", url, "no-such-app", TOTAL, FAST, null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> preflight(feature, guards(url))
                .then().statusCode(200).body("steps", hasSize(2)).body("steps[0].seconds", notNullValue()));
        preflight(feature, List.of(guards(url).getFirst(), broken)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("plan.guards[1].source.total"))
                .body("violations[0].rule", containsString("parse error"));
        preflight(feature, List.of(guards(url).getFirst(), nothing)).then().statusCode(400)
                .body("violations[0].field", equalTo("plan.guards[1].source.total"))
                .body("violations[0].rule", containsString("names no series"));
    }

    @Test
    void aRejudgeReplaysTheKeptLooks_andADryRunGuardMadeActingRollsBackWhereTheLiveJudgeSawItsRollback() {
        String feature = feature(new Behaviour(0.06, 0.005));
        String url = prometheus.url().toString();
        List<Guard> guards = guards(url);
        Guard dryRunSlow = new Guard("latency", 1.0, 0.95, "slow-requests", true, guards.get(1).source());
        // The same regression judged twice: by the latency guard acting, and by it dry-run beside the error guard.
        String acting = start(feature, guards, Duration.ofMinutes(10));
        String dryRun = start(feature, List.of(guards.getFirst(), dryRunSlow), Duration.ofMinutes(10));

        RolloutDecisionEvent rolledBack = awaitDecision(acting, 1);
        EventEnvelope advanced = awaitDecisionEnvelope(dryRun);

        // Live, the acting guard rolled back; the replay of the kept looks under the same policy does too, from the
        // look the live judge decided on (kept) or an earlier one, never a later one.
        assertThat(rolledBack).isInstanceOf(RolloutRollbackDecided.class);
        GuardEvidence live = rolledBack.evidence().guards().get(1);
        assertThat(polls.looks(acting)).anySatisfy(look -> {
            assertThat(look.guard()).isEqualTo("slow-requests");
            assertThat(look.treatment()).isEqualTo(live.treatment());
            assertThat(look.baseline()).isEqualTo(live.control());
        });
        rejudge(acting, "{\"policy\":{}}").body("steps[0].verdict", equalTo("rollback"))
                .body("steps[0].evidence.decidedBy", equalTo("slow-requests"))
                .body("steps[0].evidence.guards[1].source.queries", hasSize(4))
                .body("steps[0].evidence.treatment.requests", lessThanOrEqualTo((int) live.treatment().requests()));

        // Live, the dry-run guard only recorded its rollback and the error guard advanced the step; made acting, it
        // rolls the step back in the replay, at a look no later than the one the live judge recorded it at.
        RolloutDecisionEvent advance = (RolloutDecisionEvent) advanced.data();
        assertThat(advance).isInstanceOf(RolloutAdvanceDecided.class);
        GuardEvidence recorded = advance.evidence().guards().get(1);
        assertThat(recorded.acting()).isFalse();
        assertThat(recorded.verdict()).isEqualTo("rollback");
        Instant at = Instant.parse(rejudge(dryRun, "{\"policy\":{\"acting\":[\"slow-requests\"]}}")
                .body("steps", hasSize(1)).body("steps[0].verdict", equalTo("rollback"))
                .body("steps[0].evidence.decidedBy", equalTo("slow-requests"))
                .body("steps[0].evidence.treatment.requests", lessThanOrEqualTo((int) recorded.treatment().requests()))
                .extract().path("steps[0].at"));
        assertThat(at).isBeforeOrEqualTo(advanced.time());
        assertThat(polls.looks(dryRun)).anySatisfy(look -> assertThat(look.at()).isEqualTo(at));
    }

    @Test
    void aLookWrittenAgainIsKeptOnce() {
        String rolloutId = "rollout-" + UUID.randomUUID();
        Instant stepStartedAt = Instant.parse("2026-11-29T10:00:00Z");
        Instant readAt = stepStartedAt.plusSeconds(10);
        Look look = new Look(new Counts(1_000, 10), new Counts(250, 3), List.of("total", "bad"), null, false);

        polls.recordLook(rolloutId, "errors", 1, stepStartedAt, readAt, look, 0, readAt.plusSeconds(10));
        polls.recordLook(rolloutId, "errors", 1, stepStartedAt, readAt, look, 0, readAt.plusSeconds(10));
        polls.recordLook(rolloutId, "errors", 1, stepStartedAt, readAt.plusSeconds(10), look, 0, readAt.plusSeconds(20));

        assertThat(polls.looks(rolloutId)).extracting(GuardLook::at).containsExactly(readAt, readAt.plusSeconds(10));
        assertThat(polls.looks(rolloutId).getFirst().treatment()).isEqualTo(new Counts(250, 3));
    }

    private static io.restassured.response.ValidatableResponse rejudge(String rolloutId, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/rollouts/{id}/rejudge", rolloutId).then()
                .statusCode(200);
    }

    private static List<Guard> guards(String url) {
        return List.of(
                new Guard("errorRate", 1.0, 0.95, null, null, new MetricSource("prometheus", url, "checkout", TOTAL, null, ERRORS)),
                new Guard("latency", 1.0, 0.95, "slow-requests", null, new MetricSource("prometheus", url, "checkout", TOTAL, FAST, null)));
    }

    private static String feature(Behaviour treatment) {
        String feature = "checkout-" + UUID.randomUUID().toString().substring(0, 8);
        app.serve(feature, treatment);
        return feature;
    }

    private String start(String feature, List<Guard> guards, Duration maxStepDuration) {
        String rolloutId = "rollout-" + UUID.randomUUID();
        Plan plan = new Plan(List.of(20.0, 100.0), 500, Duration.ZERO, maxStepDuration, guards.getFirst(), guards);
        release(new RolloutStarted(rolloutId, feature, "prod", plan));
        widen(feature, rolloutId, 20, 0);
        return rolloutId;
    }

    private void widen(String feature, String rolloutId, double percent, double from) {
        app.widen(feature, percent);
        release(new FeatureReleased(feature, "prod", new Audience(percent, List.of()), new Audience(from, List.of()),
                "rollout", rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K));
    }

    private void release(TwostepEvent event) {
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                event.aggregateId(), ++sequence, Instant.now(), correlationId, null, "release-manager", null, event)));
    }

    private static io.restassured.response.Response preflight(String feature, List<Guard> guards) {
        Plan plan = new Plan(List.of(20.0, 100.0), 500, Duration.ZERO, Duration.ofMinutes(10), guards.getFirst(), guards);
        return given().contentType(ContentType.JSON)
                .body(Map.of("featureKey", feature, "environment", "prod", "plan", EventJson.mapper().convertValue(plan, Map.class)))
                .post("/rollouts/preflight");
    }

    private static RolloutDecisionEvent awaitDecision(String rolloutId, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> decisions(rolloutId).size() >= count);
        return decisions(rolloutId).get(count - 1);
    }

    private static EventEnvelope awaitDecisionEnvelope(String rolloutId) {
        await().atMost(Duration.ofSeconds(90)).until(() -> !decisions(rolloutId).isEmpty());
        return KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream().filter(record -> rolloutId.equals(record.key()))
                .map(CloudEventCodec::fromRecord).findFirst().orElseThrow();
    }

    private static List<RolloutDecisionEvent> decisions(String rolloutId) {
        return KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream().filter(record -> rolloutId.equals(record.key()))
                .map(record -> (RolloutDecisionEvent) CloudEventCodec.fromRecord(record).data()).toList();
    }
}
