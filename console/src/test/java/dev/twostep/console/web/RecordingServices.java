package dev.twostep.console.web;

import com.sun.net.httpserver.HttpExchange;
import dev.twostep.testing.LoopbackServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP server in place of the three services the console calls, which records the bearer token of every
 * request ({@code GET /recorded}: method, path and token, oldest first). It is not the services: it answers the
 * environments page's reads with one fixed picture (version 1.4.0 of {@code checkout} runs in {@code staging} and
 * waits for an approval to come to {@code prod}), accepts any approval with 201 and refuses nothing. What it shows is
 * what the console sends. Written without Jackson (JSON as text): the test reads the record over HTTP.
 */
public class RecordingServices implements QuarkusTestResourceLifecycleManager {

    static final String APPLICATION = "checkout";
    static final String PROD = "prod";

    private final List<String> recorded = new ArrayList<>();
    private LoopbackServer server;

    @Override
    public Map<String, String> start() {
        server = LoopbackServer.start(Map.of("/", this::handle));
        String url = server.url();
        return Map.of(
                "twostep.deploy-orchestrator.url", url,
                "twostep.release-controller.url", url,
                "twostep.rollout-analyzer.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/recorded")) {
                synchronized (recorded) {
                    answer(exchange, 200, "[" + String.join(",", recorded) + "]");
                }
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String token = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
            synchronized (recorded) {
                recorded.add("{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"token\":\"" + token + "\"}");
            }
            String[] segments = path.split("/");
            if (method.equals("GET") && path.equals("/environments")) {
                answer(exchange, 200, "[{\"name\":\"staging\",\"requiresApproval\":false},"
                        + "{\"name\":\"" + PROD + "\",\"promotesFrom\":\"staging\",\"requiresApproval\":true}]");
            } else if (method.equals("GET") && path.endsWith("/inventory")) {
                String version = segments[2].equals(PROD) ? "1.3.0" : "1.4.0";
                answer(exchange, 200, "{\"environment\":\"" + segments[2] + "\",\"applications\":[{\"application\":\""
                        + APPLICATION + "\",\"version\":\"" + version + "\",\"commit\":\"c" + version.replace(".", "")
                        + "\",\"since\":\"2026-11-29T09:00:00Z\",\"deploymentId\":\"d-" + segments[2] + "\"}]}");
            } else if (method.equals("GET") && path.endsWith("/live")) {
                answer(exchange, 200, "{\"environment\":\"" + segments[2] + "\",\"features\":[]}");
            } else if (method.equals("POST") && path.endsWith("/approvals")) {
                answer(exchange, 201, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } else {
                answer(exchange, 404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no " + path + " here\"}");
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        LoopbackServer.answer(exchange, status, status / 100 == 2 ? "application/json" : "application/problem+json",
                body);
    }
}
