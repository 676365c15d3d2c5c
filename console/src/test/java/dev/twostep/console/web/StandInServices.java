package dev.twostep.console.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the deploy-orchestrator's and the release-controller's read endpoints and the approvals endpoint, on
 * a local port, so that the browser test needs no other service running. It is not the real service: it answers from
 * the fixed picture {@link BrowserStory} publishes, and its approval rule is a simplified four-eyes rule (the person
 * who requested the deployment waiting for approval is refused at once; the real deploy-orchestrator records that
 * approval and refuses the deployment instead). What it does show is what the console sends: every request's bearer
 * token, whose subject it records ({@code GET /stand-in/seen}) and whose roles it checks like a service (a token
 * without {@code approver} is refused with 403). It publishes nothing: the test publishes the approval's event, as the
 * service would, once the stand-in accepted it.
 *
 * <p>Quarkus builds the test profile, which starts this, in another class loader than the test's: so the test reaches
 * it only over HTTP, and it is written without Jackson (JSON as text).
 */
final class StandInServices {

    private static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern FIELD = Pattern.compile("\"(application|version)\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final StoryNames names;
    private final List<String> seen = new ArrayList<>();

    StandInServices(StoryNames names) throws IOException {
        this.names = names;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/stand-in/seen")) {
                synchronized (seen) {
                    answer(exchange, 200, "[" + String.join(",", seen) + "]");
                }
                return;
            }
            String claims = claims(exchange.getRequestHeaders().getFirst("Authorization"));
            Matcher subjectMatch = SUBJECT.matcher(claims);
            String subject = subjectMatch.find() ? subjectMatch.group(1) : null;
            synchronized (seen) {
                seen.add("{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"subject\":\"" + subject + "\"}");
            }
            String[] segments = path.split("/");
            if (subject == null) {
                answer(exchange, 401, problem(401, "a bearer token is required"));
            } else if (method.equals("GET") && path.equals("/environments")) {
                answer(exchange, 200, "[{\"name\":\"" + names.staging() + "\",\"promotesFrom\":null,"
                        + "\"requiresApproval\":false},{\"name\":\"" + names.prod() + "\",\"promotesFrom\":\""
                        + names.staging() + "\",\"requiresApproval\":true}]");
            } else if (method.equals("GET") && path.endsWith("/inventory")) {
                String version = segments[2].equals(names.staging()) ? "1.4.0" : "1.3.0";
                answer(exchange, 200, "{\"environment\":\"" + segments[2] + "\",\"applications\":[{\"application\":\""
                        + names.application() + "\",\"version\":\"" + version + "\",\"commit\":\"c"
                        + version.replace(".", "") + "\",\"buildId\":\"" + names.buildId(version)
                        + "\",\"since\":\"2026-11-29T09:00:00Z\",\"deploymentId\":\"d-" + segments[2] + "\"}]}");
            } else if (method.equals("GET") && path.endsWith("/live")) {
                answer(exchange, 200, "{\"environment\":\"" + segments[2] + "\",\"features\":["
                        + (segments[2].equals(names.staging()) ? "{\"featureKey\":\"" + names.feature()
                        + "\",\"application\":\"" + names.application() + "\",\"audienceText\":\"50%\","
                        + "\"rollout\":{\"rolloutId\":\"" + names.rollout() + "\",\"step\":2,\"steps\":3,"
                        + "\"percentage\":50.0}}" : "") + "]}");
            } else if (method.equals("POST") && path.endsWith("/approvals")) {
                approve(exchange, segments[2], subject, claims);
            } else {
                answer(exchange, 404, problem(404, "the stand-in has no " + path));
            }
        }
    }

    private void approve(HttpExchange exchange, String environment, String subject, String claims)
            throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String application = null;
        String version = null;
        Matcher field = FIELD.matcher(body);
        while (field.find()) {
            if (field.group(1).equals("application")) {
                application = field.group(2);
            } else {
                version = field.group(2);
            }
        }
        if (!claims.contains("\"approver\"")) {
            answer(exchange, 403, problem(403, "role approver required"));
        } else if (subject.equals(names.requester())) {
            answer(exchange, 403, problem(403, "the deployment of version " + version + " of " + application
                    + " into " + environment + " is requested by " + subject + "; someone else must approve it"));
        } else {
            answer(exchange, 201, "{\"application\":\"" + application + "\",\"version\":\"" + version
                    + "\",\"environment\":\"" + environment + "\",\"approvedBy\":\"" + subject + "\"}");
        }
    }

    private static String claims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "{}";
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    private static String problem(int status, String detail) {
        return "{\"status\":" + status + ",\"title\":\"Refused\",\"detail\":\"" + detail + "\"}";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status / 100 == 2 ? "application/json"
                : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
