package dev.twostep.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.twostep.cli.auth.Credentials;
import dev.twostep.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * JSON over HTTP to the five services' public APIs, with an error that says what to do when one is down. Each
 * call acts as someone: it carries that person's bearer token from the {@link Credentials}; reads act as the viewer.
 */
public final class PlatformClient {

    private static final ObjectMapper JSON = EventJson.mapper();

    /** The console's variable; the console is not one of the {@link Service}s, which the platform's tests start. */
    public static final String CONSOLE_VARIABLE = "TWOSTEP_CONSOLE_URL";

    private final Map<Service, URI> services = new EnumMap<>(Service.class);
    private final URI console;
    private final Credentials credentials;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    public PlatformClient(Map<String, String> environment) {
        for (Service service : Service.values()) {
            services.put(service, service.baseUri(environment));
        }
        String consoleUrl = environment.get(CONSOLE_VARIABLE);
        this.console = URI.create(consoleUrl != null && !consoleUrl.isBlank() ? consoleUrl : "http://127.0.0.1:8080");
        this.credentials = Credentials.from(environment);
    }

    /** What a service answered: the status and the JSON body (a missing node when there was none). */
    public record Reply(int status, JsonNode body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** The problem's detail, or the body, for a person to read. */
        public String explanation() {
            return body.hasNonNull("detail") ? body.get("detail").asText() : body.toString();
        }
    }

    public URI uri(Service service, String path) {
        return services.get(service).resolve(path);
    }

    public Reply get(Service service, String path) {
        return send(service, as(Credentials.VIEWER, HttpRequest.newBuilder(uri(service, path)).GET()));
    }

    /** A read from the console (port 8080, or {@value #CONSOLE_VARIABLE}). */
    public Reply getFromConsole(String path) {
        return send("console", console, CONSOLE_VARIABLE,
                as(Credentials.VIEWER, HttpRequest.newBuilder(console.resolve(path)).GET()));
    }

    public Reply post(Service service, String path, Object body, String actor) {
        return send(service, as(actor, HttpRequest.newBuilder(uri(service, path)).POST(json(body))));
    }

    public Reply put(Service service, String path, Object body, String actor) {
        return send(service, as(actor, HttpRequest.newBuilder(uri(service, path)).PUT(json(body))));
    }

    /** An application's call with its API key rather than a person's token, as OFREP evaluation takes. */
    public Reply postWithApiKey(Service service, String path, Object body, String apiKey) {
        return send(service, HttpRequest.newBuilder(uri(service, path)).POST(json(body)).header("X-API-Key", apiKey));
    }

    private HttpRequest.Builder as(String actor, HttpRequest.Builder request) {
        credentials.tokenOf(actor).ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    /** Fails with a clear message unless the call succeeded. */
    public JsonNode require(Reply reply, String what) {
        if (reply.status() == 401) {
            throw new PlatformError(what + " was refused (401): no valid token in " + credentials.source()
                    + "; ./twostep up writes local tokens, or point " + Credentials.VARIABLE + " at yours");
        }
        if (!reply.isSuccess()) {
            throw new PlatformError(what + " failed with " + reply.status() + ": " + reply.explanation());
        }
        return reply.body();
    }

    private Reply send(Service service, HttpRequest.Builder request) {
        return send(service.serviceName(), services.get(service), service.variable(), request);
    }

    private Reply send(String serviceName, URI base, String variable, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Content-Type", "application/json");
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            return new Reply(response.statusCode(), body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body));
        } catch (ConnectException | HttpTimeoutException e) {
            throw unreachable(serviceName, base, variable);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable(serviceName, base, variable);
            }
            throw new PlatformError(serviceName + " answered something unreadable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformError("interrupted while calling " + serviceName);
        }
    }

    private static PlatformError unreachable(String serviceName, URI base, String variable) {
        return new PlatformError(serviceName + " is not reachable at " + base
                + ": start the platform with ./twostep up (or set " + variable + ")");
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a request body as JSON", e);
        }
    }
}
