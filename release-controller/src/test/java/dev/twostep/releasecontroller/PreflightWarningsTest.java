package dev.twostep.releasecontroller;

import dev.twostep.testing.LoopbackServer;
import dev.twostep.testing.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.twostep.releasecontroller.TopicFixtures.json;
import static dev.twostep.releasecontroller.TopicFixtures.shopRunning;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The preflight's warnings reach whoever started the rollout: the 201 carries them, and a plan the analyzer had
 * nothing to warn of (or was not asked about) carries none. The analyzer is a stand-in that answers as the real one
 * does for a plan that will hold.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
@WithTestResource(PreflightWarningsTest.StandInAnalyzer.class)
class PreflightWarningsTest {

    private static final String WARNING = "step 1 (5.0%): guard errors needs about 12,000 treatment requests, 200 min"
            + " at 1 req/s, beyond maxStepDuration PT1H: it will hold";

    /** The stand-in warns of a plan whose guard is called {@code will-hold}, as the analyzer warns of a slow step. */
    private static String plan(String guardName, String guardSource) {
        return """
                {"steps": [5, 100], "minRequestsPerStep": 100, "minStepDuration": "PT5M", "maxStepDuration": "PT1H",
                 "guard": {"metric": "errorRate", "name": "%s", "maxIncrease": 1.5, "confidence": 0.95%s}}"""
                .formatted(guardName, guardSource);
    }

    private static final String PROMETHEUS = """
            , "source": {"type": "prometheus", "application": "shop",
              "total": "sum(increase(http_server_requests_seconds_count{feature=\\"{{feature}}\\"}[{{window}}]))",
              "bad": "sum(increase(http_server_errors_total{feature=\\"{{feature}}\\"}[{{window}}]))"}""";

    @Test
    void theAnalyzersWarningsAreInTheAnswerThatStartedTheRollout() {
        String feature = shopRunning("prod").feature();

        json(plan("will-hold", PROMETHEUS)).post("/features/{key}/environments/prod/rollouts", feature).then()
                .statusCode(201).body("rolloutId", notNullValue()).body("step", equalTo(1))
                .body("status", equalTo("ACTIVE")).body("warnings", contains(WARNING));
    }

    @Test
    void aRolloutWithoutWarningsHasNone() {
        String quiet = shopRunning("prod").feature();
        json(plan("errors", PROMETHEUS)).post("/features/{key}/environments/prod/rollouts", quiet).then()
                .statusCode(201).body("rolloutId", notNullValue()).body("warnings", nullValue());

        // pushed samples only: the analyzer is not asked, so not even a plan it would warn of has warnings
        String pushed = shopRunning("prod").feature();
        json(plan("will-hold", "")).post("/features/{key}/environments/prod/rollouts", pushed).then()
                .statusCode(201).body("rolloutId", notNullValue()).body("warnings", nullValue());
    }

    /**
     * Answers {@code POST /rollouts/preflight} with 200, warning of a plan whose guard is called {@code will-hold};
     * what it answers depends on the request alone, so the resource and the test need share no state.
     */
    public static class StandInAnalyzer implements QuarkusTestResourceLifecycleManager {

        private LoopbackServer server;

        @Override
        public Map<String, String> start() {
            server = LoopbackServer.start(Map.of("/rollouts/preflight", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String warnings = body.contains("\"will-hold\"") ? "[\"" + WARNING + "\"]" : "[]";
                LoopbackServer.answer(exchange, 200, "application/json",
                        "{\"steps\":[],\"guards\":[],\"warnings\":" + warnings + "}");
            }));
            return Map.of("twostep.release.analyzer-url", server.url());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
