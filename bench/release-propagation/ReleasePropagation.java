import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from a release committed on one release-controller replica (its 200) to the same answer from another
 * replica's OFREP endpoint. Each change names one new user; the other replica is asked for that user in a tight
 * loop until it says true. Needs ./twostep up and a second replica (run.sh starts it).
 */
public class ReleasePropagation {

    private static final Pattern FIELD = Pattern.compile("\"(id|key)\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String writer = System.getenv().getOrDefault("WRITER", "http://127.0.0.1:8084");
    private final String reader = System.getenv().getOrDefault("READER", "http://127.0.0.1:8094");
    private final String run = "prop" + Long.toString(System.currentTimeMillis(), 36);
    private final String environment = "propagation";

    public static void main(String[] args) throws Exception {
        new ReleasePropagation().measure(Integer.parseInt(System.getenv().getOrDefault("CHANGES", "200")));
    }

    private void measure(int changes) throws Exception {
        String feature = "flag-" + run;
        String application = "app-" + run;
        send("PUT", "http://127.0.0.1:8083/environments/" + environment, "sam",
                "{\"requiresApproval\":false,\"autoRollbackOnFailure\":false,\"target\":{\"kind\":\"external\"}}");
        send("POST", "http://127.0.0.1:8081/builds", "github-actions", """
                {"buildId":"%s","ciSystem":"bench","runUrl":"https://ci.example.com/%s","repository":"https://git.example.com/r",
                 "commit":"3f2a9c1d","branch":"main","outcome":"SUCCEEDED","startedAt":"2026-11-29T10:00:00Z",
                 "finishedAt":"2026-11-29T10:01:00Z","artefacts":[{"name":"%s","version":"1.0.0",
                 "digest":"sha256:%064d","uri":"oci://registry.example.com/%s:1.0.0","features":["%s"]}]}"""
                .formatted(run, run, application, 1, application, feature));
        HttpResponse<String> deployment;
        do { // the orchestrator learns of the artefact from the registry's events a moment later
            deployment = send("POST", "http://127.0.0.1:8083/deployments", "argo-cd",
                    "{\"application\":\"%s\",\"version\":\"1.0.0\",\"environment\":\"%s\"}".formatted(application,
                            environment));
        } while (deployment.statusCode() == 422);
        send("POST", "http://127.0.0.1:8083/deployments/" + field(deployment.body(), "id") + "/status", "argo-cd",
                "{\"status\":\"SUCCEEDED\"}");
        String apiKey = field(send("POST", writer + "/api-keys", "carol",
                "{\"name\":\"%s\",\"environments\":[\"%s\"]}".formatted(run, environment)).body(), "key");

        List<Double> millis = new ArrayList<>();
        for (int change = 0; change <= changes; change++) {
            String user = "user-" + change;
            String body = "{\"percentage\":0,\"users\":[\"%s\"],\"reason\":\"propagation %d\"}".formatted(user, change);
            HttpResponse<String> released;
            do { // until the release-controller knows the feature and its deployment (the first change only)
                released = send("PUT", writer + "/features/" + feature + "/environments/" + environment + "/audience",
                        "carol", body);
            } while ((released.statusCode() == 404 || released.statusCode() == 409) && change == 0);
            if (released.statusCode() != 200) {
                throw new IllegalStateException("release " + change + ": " + released.statusCode() + " " + released.body());
            }
            long committed = System.nanoTime();
            while (!evaluate(apiKey, feature, user)) {
                Thread.onSpinWait();
            }
            if (change > 0) { // the first change also waits for the API key to reach the reader
                millis.add((System.nanoTime() - committed) / 1e6);
            }
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "%d changes written on %s, read on %s: p50 %.1f ms, p99 %.1f ms, worst %.1f ms%n",
                millis.size(), writer, reader, at(millis, 0.50), at(millis, 0.99), millis.getLast());
    }

    private boolean evaluate(String apiKey, String feature, String user) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(reader + "/ofrep/v1/evaluate/flags/"
                        + feature)).header("X-API-Key", apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"%s\",\"environment\":\"%s\"}}"
                        .formatted(user, environment))).build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 && answer.body().contains("\"value\":true");
    }

    private HttpResponse<String> send(String method, String url, String persona, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + System.getenv("TOKEN_" + persona.replace('-', '_').toUpperCase()))
                .header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
