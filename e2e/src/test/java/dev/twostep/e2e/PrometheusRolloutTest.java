package dev.twostep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformClient.Reply;
import dev.twostep.cli.api.Service;
import dev.twostep.cli.demo.PrometheusQueries;
import dev.twostep.cli.demo.ScrapedRequestMetrics;
import dev.twostep.cli.demo.TrafficSimulator;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.Topics;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.TestPrometheus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rollouts judged from a real Prometheus (issue 18): the demo's traffic simulator, in the test JVM, evaluates two
 * features over OFREP through the OpenFeature SDK, and its request metrics, labelled by the variant each request was
 * served ({@code openfeature-variant-metrics}), are scraped every second by a {@link TestPrometheus}. Each rollout has
 * two Prometheus guards, errors and requests over 300 ms, with the templates of the rollout-analyzer's README and
 * the test's Prometheus as the guard's own URL. A feature that behaves like the control reaches 100 %; one whose
 * requests are slower than 300 ms ten times as often (1 % to 10 %) is rolled back by the latency guard. The decision
 * events on {@code twostep.rollout.events} carry each guard's queries and counts.
 *
 * <p>The shared platform's analyzer reads Prometheus guards every second ({@link Platform}); the release-controller
 * checks the guards with the analyzer before a rollout starts, which is why the control's series must have been
 * scraped first.
 */
@ExtendWith(SharedPlatform.class)
class PrometheusRolloutTest {

    private static final String SELECTOR = "app=\"{{application}}\",feature=\"{{feature}}\",variant=\"{{variant}}\"";
    private static final String REQUESTS = "sum(increase(http_server_requests_seconds_count{" + SELECTOR
            + "}[{{window}}]))";
    private static final String NOT_FAILED = "sum(increase(http_server_requests_seconds_count{" + SELECTOR
            + ",outcome!=\"SERVER_ERROR\"}[{{window}}]))";
    private static final String FAST = "sum(increase(http_server_requests_seconds_bucket{" + SELECTOR
            + ",le=\"0.3\"}[{{window}}]))";
    private static final long MIN_REQUESTS_PER_STEP = 2_000;

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String APPLICATION = "shop-" + RUN;
    private static final String ENVIRONMENT = "prom-" + RUN;
    private static final String HEALTHY = "quick-search-" + RUN;
    private static final String SLOW = "live-totals-" + RUN;

    private static PlatformClient api;
    private static ScrapedRequestMetrics scraped;
    private static TestPrometheus prometheus;
    private static TrafficSimulator traffic;

    @BeforeAll
    static void deployBothFeaturesAndServeTraffic(Platform platform) {
        api = new PlatformClient(platform.environment());
        api.require(api.put(Service.DEPLOY, "/environments/" + ENVIRONMENT, Map.of("requiresApproval", false,
                "autoRollbackOnFailure", false, "target", Map.of("kind", "external")), "sam"), "defining " + ENVIRONMENT);
        String version = "2.0.0-" + RUN;
        api.require(api.post(Service.BUILD, "/builds", build(version), "github-actions"), "posting the build");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get(Service.REGISTRY, "/artefacts/" + APPLICATION + "/versions/" + version).isSuccess());
        deploy(version);
        for (String feature : List.of(HEALTHY, SLOW)) {
            await().alias(feature + " known as deployed in " + ENVIRONMENT).atMost(Duration.ofSeconds(30))
                    .until(() -> deployedIn(feature).contains("\"" + version + "\""));
        }
        String apiKey = api.require(api.post(Service.RELEASE, "/api-keys", Map.of("name", APPLICATION,
                "environments", List.of(ENVIRONMENT)), "carol"), "issuing an API key").path("key").asText();

        scraped = ScrapedRequestMetrics.serve(0, APPLICATION, ENVIRONMENT, List.of(HEALTHY, SLOW),
                api.uri(Service.RELEASE, "/"), apiKey);
        prometheus = TestPrometheus.scraping(scraped.endpoint().getAuthority());
        // 160 users a second, 25 requests each: 4,000 requests a second, 1 % failing and 1 % slow everywhere;
        // the slow feature's users get 9 % more slow requests.
        traffic = new TrafficSimulator(api, APPLICATION, ENVIRONMENT,
                new TrafficSimulator.Load(Duration.ofMillis(250), 5_000, 40, 25, 0.01), Map.of(), Clock.systemUTC(),
                RUN, apiKey, Optional.of(scraped), Map.of(SLOW, 0.09));
        traffic.start();
        // The preflight asks for the control's increase over 5 minutes, which needs two scrapes.
        for (String feature : List.of(HEALTHY, SLOW)) {
            await().alias("Prometheus scraped " + feature + "'s control twice").atMost(Duration.ofSeconds(30))
                    .until(() -> PrometheusQueries.instant(prometheus.url(), "sum(increase("
                            + "http_server_requests_seconds_count{feature=\"" + feature + "\",variant=\"off\"}[5m]))")
                            .isPresent());
        }
    }

    @AfterAll
    static void stopTraffic() {
        if (traffic != null) {
            traffic.close();
        }
        if (scraped != null) {
            scraped.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void aHealthyVariantReachesEveryoneAndALatencyRegressionRollsBackJudgedFromPrometheus() {
        String healthy = startRollout(HEALTHY);
        String slow = startRollout(SLOW);

        await().alias("both rollouts ended").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(500))
                .until(() -> !status(healthy).equals("ACTIVE") && !status(slow).equals("ACTIVE"));
        assertThat(status(healthy)).isEqualTo("COMPLETED");
        assertThat(status(slow)).isEqualTo("ABORTED");

        // The healthy feature: 50 % then 100 %, each step advanced with both guards' counts from Prometheus.
        List<RolloutDecisionEvent> healthyDecisions = decisions(healthy);
        assertThat(healthyDecisions).hasSize(2).allMatch(RolloutAdvanceDecided.class::isInstance);
        for (RolloutDecisionEvent decision : healthyDecisions) {
            Evidence evidence = ((RolloutAdvanceDecided) decision).evidence();
            assertThat(evidence.guards()).extracting(GuardEvidence::name).containsExactly("errors", "slow");
            for (GuardEvidence guard : evidence.guards()) {
                assertReadFromPrometheus(guard, HEALTHY);
                assertThat(guard.verdict()).isEqualTo("advance");
                assertThat(guard.treatment().requests()).isGreaterThanOrEqualTo(MIN_REQUESTS_PER_STEP);
            }
        }

        // The slow feature: rolled back at its first step by the latency guard, on counts that show why.
        List<RolloutDecisionEvent> slowDecisions = decisions(slow);
        assertThat(slowDecisions).last().isInstanceOf(RolloutRollbackDecided.class);
        RolloutRollbackDecided rollback = (RolloutRollbackDecided) slowDecisions.getLast();
        assertThat(rollback.step()).isEqualTo(1);
        assertThat(rollback.evidence().decidedBy()).isEqualTo("slow");
        GuardEvidence latency = rollback.evidence().guards().get(1);
        assertReadFromPrometheus(latency, SLOW);
        assertThat(latency.verdict()).isEqualTo("rollback");
        assertThat(latency.source().queries()).anyMatch(query -> query.contains("le=\"0.3\""));
        assertThat(share(latency.treatment())).as("the treatment's share over 300 ms")
                .isGreaterThan(share(latency.control()) + 0.04);
        assertThat(rollback.evidence().treatment()).isEqualTo(latency.treatment());
    }

    /** Four queries, the treatment's first, all about this feature; counts that Prometheus answered. */
    private static void assertReadFromPrometheus(GuardEvidence guard, String feature) {
        assertThat(guard.source()).as(guard.name()).isNotNull();
        assertThat(guard.source().type()).isEqualTo("prometheus");
        assertThat(guard.source().noData()).as(guard.name() + ": no data").isNull();
        assertThat(guard.source().queries()).hasSize(4)
                .allMatch(query -> query.contains("app=\"" + APPLICATION + "\",feature=\"" + feature + "\""));
        assertThat(guard.source().queries().getFirst()).contains("variant=\"on\"")
                .startsWith("sum(increase(http_server_requests_seconds_count{");
        assertThat(guard.source().queries()).anyMatch(query -> query.contains("variant=\"off\""));
        assertThat(guard.treatment().requests()).isPositive();
        assertThat(guard.control().requests()).isPositive();
        assertThat(guard.treatment().errors()).isLessThanOrEqualTo(guard.treatment().requests());
    }

    private static double share(Counts counts) {
        return (double) counts.errors() / counts.requests();
    }

    private static String startRollout(String feature) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("steps", List.of(50, 100));
        plan.put("minRequestsPerStep", MIN_REQUESTS_PER_STEP);
        plan.put("minStepDuration", "PT3S");
        plan.put("maxStepDuration", "PT60S");
        plan.put("guard", guard("errorRate", "errors", NOT_FAILED));
        plan.put("additionalGuards", List.of(guard("latency", "slow", FAST)));
        return api.require(api.post(Service.RELEASE, "/features/" + feature + "/environments/" + ENVIRONMENT
                + "/rollouts", plan, "carol"), "starting the rollout of " + feature).path("rolloutId").asText();
    }

    private static Map<String, Object> guard(String metric, String name, String good) {
        URI url = prometheus.url();
        return Map.of("metric", metric, "name", name, "maxIncrease", 2.0, "confidence", 0.95,
                "source", Map.of("type", "prometheus", "url", url.toString(), "application", APPLICATION,
                        "total", REQUESTS, "good", good));
    }

    private static String status(String rolloutId) {
        Reply rollout = api.get(Service.ROLLOUT, "/rollouts/" + rolloutId);
        return rollout.isSuccess() ? rollout.body().path("status").asText() : "ACTIVE";
    }

    /** The rollout's decisions as published, in order. */
    private static List<RolloutDecisionEvent> decisions(String rolloutId) {
        return KafkaProbe.readAll(Topics.ROLLOUT_EVENTS).stream()
                .filter(record -> rolloutId.equals(record.key()))
                .map(record -> CloudEventCodec.fromRecord(record).data())
                .filter(RolloutDecisionEvent.class::isInstance).map(RolloutDecisionEvent.class::cast)
                .toList();
    }

    private static Map<String, Object> build(String version) {
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("buildId", "prom-" + RUN);
        build.put("ciSystem", "github-actions");
        build.put("runUrl", "https://ci.example.com/runs/" + RUN);
        build.put("repository", "https://git.example.com/shop/" + APPLICATION);
        build.put("commit", "3f2a9c1d8e7b" + "0".repeat(28));
        build.put("branch", "main");
        build.put("outcome", "SUCCEEDED");
        build.put("startedAt", "2026-11-20T10:00:00Z");
        build.put("finishedAt", "2026-11-20T10:07:30Z");
        build.put("artefacts", List.of(Map.of("name", APPLICATION, "version", version,
                "digest", "sha256:" + "ab".repeat(32), "uri", "pkg:oci/" + APPLICATION,
                "features", List.of(HEALTHY, SLOW))));
        return build;
    }

    /** The versions containing the feature that the release-controller knows to run in the test's environment. */
    private static String deployedIn(String feature) {
        for (JsonNode release : api.get(Service.RELEASE, "/features/" + feature).body().path("environments")) {
            if (release.path("environment").asText().equals(ENVIRONMENT)) {
                return release.path("deployedVersions").toString();
            }
        }
        return "";
    }

    /** Deploys by the external target's report, as a deploy tool would. */
    private static void deploy(String version) {
        Reply requested = await().atMost(Duration.ofSeconds(30)).until(() -> api.post(Service.DEPLOY, "/deployments",
                Map.of("application", APPLICATION, "version", version, "environment", ENVIRONMENT), "bob"),
                reply -> reply.status() != 422);
        String id = api.require(requested, "deploying " + version).path("id").asText();
        api.require(api.post(Service.DEPLOY, "/deployments/" + id + "/status",
                Map.of("status", "SUCCEEDED", "reason", "synced by argo-cd"), "argo-cd"), "reporting " + id);
    }
}
