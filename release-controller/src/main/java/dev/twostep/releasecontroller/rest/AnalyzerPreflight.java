package dev.twostep.releasecontroller.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twostep.events.EventJson;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.problems.Problem;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.config.AnalyzerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * Asks the rollout-analyzer to check a plan with Prometheus guards before the rollout starts
 * ({@code POST /rollouts/preflight}): the analyzer owns the sources and their credentials, so only it can tell
 * whether a query parses and names series. Its 400 is this request's 400, with the field renamed to this request's
 * ({@code plan.guards[1].source.total} is {@code additionalGuards[0].source.total}); an analyzer that cannot be
 * asked is a 503, because a rollout whose guards nobody could check would only find out as an hour of "no data".
 * Plans whose guards are all pushed samples are not sent: they start as they always did, analyzer or not. The
 * analyzer's warnings (a step that cannot decide within maxStepDuration, a Prometheus that did not answer) do not
 * stop the rollout; they go back to whoever started it, in the answer.
 * The caller's own token goes along, so the analyzer sees who asks and needs no credential of this service.
 */
@ApplicationScoped
public class AnalyzerPreflight {

    private static final Logger LOG = Logger.getLogger(AnalyzerPreflight.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI analyzer;
    private final JsonWebToken token;
    private final ObjectMapper json = EventJson.mapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AnalyzerPreflight(AnalyzerConfig config, JsonWebToken token) {
        this.analyzer = config.analyzerUrl();
        this.token = token;
    }

    static boolean needed(Plan plan) {
        return plan.allGuards().stream().map(Guard::source)
                .anyMatch(source -> source != null && "prometheus".equals(source.type()));
    }

    /**
     * {@code treatment} and {@code control} are a named rollout's variants (the control is the definition's
     * default), as the application's metrics label them; null for a rollout of an audience, whose arms are
     * {@code on} and {@code off}.
     *
     * @return the analyzer's warnings, empty when it has none or was not asked
     */
    public List<String> check(String featureKey, String environment, Plan plan, String treatment, String control) {
        if (!needed(plan)) {
            return List.of();
        }
        Map<String, Object> body = new HashMap<>(Map.of("featureKey", featureKey, "environment", environment,
                "plan", plan));
        if (treatment != null) {
            body.put("treatment", treatment);
        }
        if (control != null) {
            body.put("control", control);
        }
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(analyzer.resolve("/rollouts/preflight"))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token.getRawToken())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("is unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("was interrupted");
        }
        if (response.statusCode() == 200) {
            return warnings(response.body(), featureKey, environment);
        }
        if (response.statusCode() == 400) {
            throw refused(response.body());
        }
        throw unavailable("answered " + response.statusCode());
    }

    private ProblemException unavailable(String what) {
        return new ProblemException(503, "Service Unavailable", "cannot check the rollout's Prometheus guards: the "
                + "rollout-analyzer at " + analyzer + " " + what + "; try again", List.of());
    }

    private ProblemException refused(String body) {
        try {
            JsonNode problem = json.readTree(body);
            List<Problem.Violation> violations = new ArrayList<>();
            for (JsonNode violation : problem.path("violations")) {
                violations.add(new Problem.Violation(RolloutRequest.requestField(violation.path("field").asText()),
                        violation.path("rule").asText()));
            }
            return new ProblemException(400, "Bad Request", problem.path("detail").asText(
                    "the rollout-analyzer refused the plan's guards"), violations);
        } catch (IOException e) {
            return unavailable("refused the plan without a readable problem");
        }
    }

    /** A plan that will hold is still a plan a person may want; it starts, and the answer says what to expect. */
    private List<String> warnings(String body, String featureKey, String environment) {
        try {
            List<String> warnings = new ArrayList<>();
            for (JsonNode warning : json.readTree(body).path("warnings")) {
                warnings.add(warning.asText());
            }
            return warnings;
        } catch (IOException e) {
            LOG.warnf("rollout of %s in %s: the preflight's answer was unreadable", featureKey, environment);
            return List.of("the rollout-analyzer's preflight answer was unreadable, so its warnings are unknown");
        }
    }
}
