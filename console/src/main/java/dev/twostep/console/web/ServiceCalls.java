package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.EventJson;
import dev.twostep.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Calls the services the pages read from and act on, always with the signed-in person's token: a service checks
 * the person's role itself and writes the person as the event's actor, exactly as for a call from the CLI.
 */
@ApplicationScoped
public class ServiceCalls {

    /** The services the console calls, and where they listen ({@code TWOSTEP_<SERVICE>_URL}). */
    public enum Service {
        DEPLOY_ORCHESTRATOR, RELEASE_CONTROLLER, ROLLOUT_ANALYZER
    }

    /** A service's answer to an action, passed on unchanged (status, problem+json body) to the page. */
    public record Answer(int status, String contentType, String body) {
        Response asResponse() {
            return Response.status(status).type(contentType).entity(body).build();
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final URI deployOrchestrator;
    private final URI releaseController;
    private final URI rolloutAnalyzer;

    ServiceCalls(@ConfigProperty(name = "twostep.console.service-timeout") Duration timeout,
                 @ConfigProperty(name = "twostep.deploy-orchestrator.url") URI deployOrchestrator,
                 @ConfigProperty(name = "twostep.release-controller.url") URI releaseController,
                 @ConfigProperty(name = "twostep.rollout-analyzer.url") URI rolloutAnalyzer) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.deployOrchestrator = deployOrchestrator;
        this.releaseController = releaseController;
        this.rolloutAnalyzer = rolloutAnalyzer;
    }

    /** A read; a service that refuses or cannot be reached is a problem naming it (502, or its own 4xx). */
    public JsonNode read(Service service, String path, String token) {
        Answer answer = send(service, HttpRequest.newBuilder(uri(service, path)).GET(), token);
        if (answer.status() / 100 != 2) {
            throw refused(service, path, answer);
        }
        try {
            return EventJson.mapper().readTree(answer.body());
        } catch (IOException e) {
            throw new ProblemException(502, "Bad gateway", service + " answered " + path + " with no JSON", List.of());
        }
    }

    /** A read whose absence the page can live with (a 404, or the service away): empty then. */
    public Optional<JsonNode> readIfThere(Service service, String path, String token) {
        try {
            return Optional.of(read(service, path, token));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** An action: the JSON body is posted as the person, and the service's answer is the answer. */
    public Answer post(Service service, String path, JsonNode body, String token) {
        return send(service, HttpRequest.newBuilder(uri(service, path))
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), token);
    }

    private Answer send(Service service, HttpRequest.Builder request, String token) {
        try {
            HttpResponse<String> response = http.send(request.timeout(timeout)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .header(HttpHeaders.ACCEPT, "application/json").build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue(HttpHeaders.CONTENT_TYPE)
                    .orElse("application/json"), response.body());
        } catch (IOException e) {
            throw unreachable(service, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(service, "interrupted");
        }
    }

    private URI uri(Service service, String path) {
        URI base = switch (service) {
            case DEPLOY_ORCHESTRATOR -> deployOrchestrator;
            case RELEASE_CONTROLLER -> releaseController;
            case ROLLOUT_ANALYZER -> rolloutAnalyzer;
        };
        return base.resolve(path);
    }

    private static ProblemException unreachable(Service service, String why) {
        return new ProblemException(502, "Bad gateway", name(service) + " cannot be reached: " + why, List.of());
    }

    private static ProblemException refused(Service service, String path, Answer answer) {
        int status = answer.status() / 100 == 4 ? answer.status() : 502;
        return new ProblemException(status, status == 502 ? "Bad gateway" : "Refused by " + name(service),
                name(service) + " answered " + answer.status() + " to GET " + path + ": " + answer.body(), List.of());
    }

    private static String name(Service service) {
        return service.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
