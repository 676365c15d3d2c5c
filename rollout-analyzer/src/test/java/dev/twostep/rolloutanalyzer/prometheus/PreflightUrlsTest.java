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
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.LoopbackServer;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

/**
 * Which Prometheus a plan may name, which one gets the configured token, and what the preflight asks for a rollout
 * of a named variant. The Prometheus is a stand-in that records every query with its Authorization header and
 * answers each with one series; the configured one is {@code http://127.0.0.1:<port>} with a token, and the allow-list
 * adds {@code http://localhost:<port>}, the same server under a name that is not configured.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(PreflightUrlsTest.StandInPrometheus.class)
class PreflightUrlsTest {

    private static final String TOTAL = "sum(increase(http_server_requests_seconds_count{feature=\"{{feature}}\","
            + "variant=\"{{variant}}\"}[{{window}}]))";
    private static final String BAD = "sum(increase(http_server_errors_total{feature=\"{{feature}}\","
            + "variant=\"{{variant}}\"}[{{window}}]))";

    private final String configured = ConfigProvider.getConfig().getValue("twostep.analyzer.prometheus.url",
            String.class);
    private final int port = URI.create(configured).getPort();

    @BeforeEach
    void forgetEarlierQueries() {
        given().delete(configured + StandInPrometheus.RECEIVED).then().statusCode(204);
    }

    /** What the stand-in was asked since the last clearing. */
    private List<Query> received() {
        return given().get(configured + StandInPrometheus.RECEIVED).then().statusCode(200).extract().jsonPath()
                .getList("$", Map.class).stream().map(one -> new Query((String) one.get("query"),
                        (String) one.get("authorization"), (String) one.get("host"))).toList();
    }

    @Test
    void aPlanNamingAPrometheusOffTheAllowListIsRefusedAndNothingIsAsked() {
        String feature = feature();
        for (String url : List.of("http://metadata.internal:80", "http://127.0.0.1.evil.example:" + port,
                "https://127.0.0.1:" + port, "http://localhost")) {
            preflight(feature, List.of(pushed(), prometheus(url)), null, null).statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].field", equalTo("plan.guards[1].source.url"))
                    .body("violations[0].rule", containsString("is not an allowed Prometheus"))
                    .body("violations[0].rule", containsString("twostep.analyzer.prometheus.allowed-urls"));
        }
        // user info could hide another host behind an allowed prefix
        preflight(feature, List.of(prometheus("http://localhost:" + port + "@metadata.internal")),
                null, null).statusCode(400).body("violations[0].field", equalTo("plan.guards[0].source.url"))
                .body("violations[0].rule", containsString("without user info"));

        assertThat(received()).isEmpty();
    }

    @Test
    void theTokenGoesOnlyToTheConfiguredUrl_notToAnotherAllowedOne() {
        String feature = feature();
        preflight(feature, List.of(prometheus(null)), null, null).statusCode(200);
        preflight(feature, List.of(prometheus(configured)), null, null).statusCode(200);
        assertThat(received()).hasSize(4)
                .allSatisfy(query -> assertThat(query.authorization()).isEqualTo("Bearer " + StandInPrometheus.TOKEN));
        forgetEarlierQueries();

        preflight(feature, List.of(prometheus("http://localhost:" + port)), null, null).statusCode(200);

        assertThat(received()).hasSize(2).allSatisfy(query -> {
            assertThat(query.host()).startsWith("localhost:");
            assertThat(query.authorization()).isNull();
        });
    }

    @Test
    void thePreflightOfANamedVariantAsksForTheControlUnderItsNameAndShowsTheTreatmentsQueries() {
        String feature = feature();

        preflight(feature, List.of(prometheus(null)), "dark", "light").statusCode(200)
                .body("guards[0].queries", everyItem(containsString("variant=\"light\"")))
                .body("guards[0].treatmentQueries", everyItem(containsString("variant=\"dark\"")));

        assertThat(received()).extracting(Query::query).hasSize(2)
                .allSatisfy(query -> assertThat(query).contains("feature=\"" + feature + "\"")
                        .contains("variant=\"light\"").doesNotContain("variant=\"off\"")
                        .doesNotContain("variant=\"dark\""));
        forgetEarlierQueries();

        preflight(feature, List.of(prometheus(null)), null, null).statusCode(200)
                .body("guards[0].treatmentQueries", everyItem(containsString("variant=\"on\"")));
        assertThat(received()).extracting(Query::query)
                .allSatisfy(query -> assertThat(query).contains("variant=\"off\""));
    }

    @Test
    void theAnalyzerAsksNoPrometheusOffTheAllowListForARolloutThatStartedAnyway() {
        String feature = feature();
        String rolloutId = "rollout-" + UUID.randomUUID();
        Plan plan = new Plan(List.of(20.0, 100.0), 500, Duration.ZERO, Duration.ofMinutes(10),
                prometheus("http://metadata.internal:80"), null);
        release(new RolloutStarted(rolloutId, feature, "prod", plan));
        release(new FeatureReleased(feature, "prod", new Audience(20, List.of()), Audience.NOBODY, "rollout",
                rolloutId, ReleaseEvent.FLAGD_FRACTIONAL_100K));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/rollouts/{id}", rolloutId).then()
                .statusCode(200)
                .body("waiting.guards[0].source.noData", containsString("is not an allowed Prometheus")));
    }

    private static String feature() {
        return "checkout-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Guard pushed() {
        return new Guard("errorRate", 1.0, 0.95);
    }

    private static Guard prometheus(String url) {
        return new Guard("errorRate", 1.0, 0.95, "errors", null,
                new MetricSource("prometheus", url, "checkout", TOTAL, null, BAD));
    }

    private static ValidatableResponse preflight(String feature, List<Guard> guards, String treatment,
                                                 String control) {
        Plan plan = new Plan(List.of(20.0, 100.0), 500, Duration.ZERO, Duration.ofMinutes(10), guards.getFirst(),
                guards);
        Map<String, Object> body = new HashMap<>(Map.of("featureKey", feature, "environment", "prod",
                "plan", EventJson.mapper().convertValue(plan, Map.class)));
        if (treatment != null) {
            body.put("treatment", treatment);
            body.put("control", control);
        }
        return given().contentType(ContentType.JSON).body(body).post("/rollouts/preflight").then();
    }

    private long sequence;

    private void release(TwostepEvent event) {
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                event.aggregateId(), ++sequence, Instant.now(), UUID.randomUUID().toString(), null, "release-manager",
                null, event)));
    }

    /** One query as the stand-in received it. */
    record Query(String query, String authorization, String host) {
    }

    /**
     * A Prometheus query API that records what it is asked and answers every query with one series of 600. The test
     * reads the record over HTTP ({@code GET /received}, {@code DELETE} to clear): the resource and the test need
     * share no class.
     */
    public static class StandInPrometheus implements QuarkusTestResourceLifecycleManager {

        static final String TOKEN = "configured-secret";
        static final String RECEIVED = "/received";
        private final ConcurrentLinkedQueue<Map<String, String>> received = new ConcurrentLinkedQueue<>();
        private LoopbackServer server;

        @Override
        public Map<String, String> start() {
            server = LoopbackServer.start(Map.of("/api/v1/query", exchange -> {
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String query = "";
                for (String pair : form.split("&")) {
                    if (pair.startsWith("query=")) {
                        query = URLDecoder.decode(pair.substring("query=".length()), StandardCharsets.UTF_8);
                    }
                }
                Map<String, String> one = new HashMap<>(Map.of("query", query,
                        "host", exchange.getRequestHeaders().getFirst("Host")));
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    one.put("authorization", authorization);
                }
                received.add(one);
                LoopbackServer.answer(exchange, 200, "application/json", """
                        {"status":"success","data":{"resultType":"vector",\
                        "result":[{"metric":{},"value":[1,"600"]}]}}""");
            }, RECEIVED, exchange -> {
                if ("DELETE".equals(exchange.getRequestMethod())) {
                    received.clear();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                    return;
                }
                LoopbackServer.answer(exchange, 200, "application/json",
                        EventJson.mapper().writeValueAsString(List.copyOf(received)));
            }));
            int port = server.port();
            return Map.of("twostep.analyzer.prometheus.url", "http://127.0.0.1:" + port,
                    "twostep.analyzer.prometheus.token", TOKEN,
                    "twostep.analyzer.prometheus.allowed-urls", "http://localhost:" + port);
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
