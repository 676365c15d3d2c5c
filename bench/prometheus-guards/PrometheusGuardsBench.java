import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N concurrent rollouts, each with two Prometheus guards (errors and requests over 300 ms), judged against one
 * Prometheus: the one {@code ./twostep up --with-prometheus} starts, which scrapes 127.0.0.1:9464 every second. This
 * program serves that endpoint itself: for each of the N features, request counters by variant and outcome and the
 * 300 ms bucket, growing at RATE requests a second per arm with 1 % errors and 1 % slow in both arms (healthy), so
 * every step advances once its minimum time and requests are met. It prints, over every decision, the lag between
 * the end of the window the decision judged (the instant of the freshest Prometheus look) and the decision's time,
 * and the queries per second that Prometheus answered on /api/v1/query while the rollouts ran.
 */
public class PrometheusGuardsBench {

    private static final Pattern FIELD = Pattern.compile("\"(id|key|rolloutId)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern WINDOW_START = Pattern.compile("\"window\"\\s*:\\s*\\{[^}]*\"start\"\\s*:\\s*\"([^\"]+)\"");
    /** A look's range, {@code [37s]}: the seconds from the step's start to the instant Prometheus was asked. */
    private static final Pattern LOOK_RANGE = Pattern.compile("\\[(\\d+)s]");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern QUERIES = Pattern.compile(
            "prometheus_http_requests_total\\{[^}]*handler=\"/api/v1/query\"[^}]*} (\\S+)");
    private static final int FEATURES_PER_ARTEFACT = 200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String run = "pg" + Long.toString(System.currentTimeMillis(), 36);
    private final String environment = "bench-" + run;
    private final int rollouts = Integer.parseInt(System.getenv().getOrDefault("ROLLOUTS", "1000"));
    private final int rate = Integer.parseInt(System.getenv().getOrDefault("RATE", "200"));
    /** Each step's minimum; longer steps show the analyzer's steady pace rather than the burst of the starts. */
    private final String minStepDuration = System.getenv().getOrDefault("MIN_STEP", "PT20S");
    private final String prometheus = System.getenv().getOrDefault("PROMETHEUS", "http://127.0.0.1:9090");
    private final List<String> features = new ArrayList<>();
    private final long started = System.nanoTime();

    public static void main(String[] args) throws Exception {
        new PrometheusGuardsBench().measure();
    }

    private void measure() throws Exception {
        for (int i = 0; i < rollouts; i++) {
            features.add("f" + i + "-" + run);
        }
        HttpServer app = serveMetrics(Integer.parseInt(System.getenv().getOrDefault("METRICS_PORT", "9464")));
        try {
            deployFeatures();
            awaitScraped();
            ExecutorService starters = Executors.newFixedThreadPool(8, Thread.ofPlatform().daemon().factory());
            double queriesBefore = queriesAnswered();
            Instant from = Instant.now();
            List<Future<String>> ids = new ArrayList<>();
            for (String feature : features) {
                ids.add(starters.submit(() -> startRollout(feature)));
            }
            List<String> rolloutIds = new ArrayList<>();
            for (Future<String> id : ids) {
                rolloutIds.add(id.get());
            }
            starters.shutdown();
            System.out.printf(Locale.ROOT, "%d rollouts started in %d s%n", rolloutIds.size(),
                    Duration.between(from, Instant.now()).toSeconds());
            // While every rollout runs and none has ended, a look is one request (two in a 100 % step, whose
            // baseline is read at the step's start): the request rate says about how often each guard is read.
            double steadyFrom = queriesAnswered();
            Instant steadyAt = Instant.now();
            awaitEnded(rolloutIds, Duration.ofMinutes(Long.parseLong(System.getenv().getOrDefault("MINUTES", "10"))),
                    () -> {
                        double perSecond = (queriesAnswered() - steadyFrom)
                                / (Duration.between(steadyAt, Instant.now()).toMillis() / 1000.0);
                        System.out.printf(Locale.ROOT, "while all %d rollouts ran: %.1f requests/s, a request per"
                                        + " guard every %.1f s on average (a look at 100 %% is two)%n",
                                rolloutIds.size(), perSecond, 2 * rolloutIds.size() / perSecond);
                        return null;
                    });
            double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
            double queries = queriesAnswered() - queriesBefore;
            List<Double> lags = lags(rolloutIds);
            Collections.sort(lags);
            System.out.printf(Locale.ROOT, "decisions: %d; lag from the judged window's end to the decision: p50 %.2f s,"
                            + " p99 %.2f s, max %.2f s%n", lags.size(), at(lags, 0.5), at(lags, 0.99),
                    lags.isEmpty() ? Double.NaN : lags.getLast());
            System.out.printf(Locale.ROOT, "Prometheus answered %.0f instant queries in %.0f s: %.1f queries/s "
                    + "(starts' preflight checks included)%n", queries, seconds, queries / seconds);
        } finally {
            app.stop(0);
        }
    }

    /** Counters that grow with the time since start, deterministically: 1 % errors and 1 % slow in both arms. */
    private HttpServer serveMetrics(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", exchange -> {
            double elapsed = (System.nanoTime() - started) / 1e9;
            long requests = (long) (elapsed * rate);
            long failed = requests / 100;
            long fast = requests - requests / 100;
            StringBuilder text = new StringBuilder(features.size() * 900);
            text.append("# TYPE http_server_requests_seconds histogram\n");
            for (String feature : features) {
                for (String variant : List.of("on", "off")) {
                    String labels = "app=\"bench\",feature=\"" + feature + "\",variant=\"" + variant + "\"";
                    text.append("http_server_requests_seconds_count{").append(labels)
                            .append(",outcome=\"SUCCESS\"} ").append(requests - failed).append('\n');
                    text.append("http_server_requests_seconds_count{").append(labels)
                            .append(",outcome=\"SERVER_ERROR\"} ").append(failed).append('\n');
                    text.append("http_server_requests_seconds_bucket{").append(labels)
                            .append(",le=\"0.3\"} ").append(fast).append('\n');
                    text.append("http_server_requests_seconds_bucket{").append(labels)
                            .append(",le=\"+Inf\"} ").append(requests).append('\n');
                }
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return server;
    }

    /** Artefacts of at most 200 features (the build API's limit), each an application deployed to the environment. */
    private void deployFeatures() throws Exception {
        send("PUT", "http://127.0.0.1:8083/environments/" + environment, "sam",
                "{\"requiresApproval\":false,\"autoRollbackOnFailure\":false,\"target\":{\"kind\":\"external\"}}");
        List<String> artefacts = new ArrayList<>();
        for (int from = 0; from < features.size(); from += FEATURES_PER_ARTEFACT) {
            List<String> some = features.subList(from, Math.min(features.size(), from + FEATURES_PER_ARTEFACT));
            artefacts.add("""
                    {"name":"app%d-%s","version":"1.0.0","digest":"sha256:%064d","uri":"oci://registry.example.com/app%d:1.0.0",
                     "features":["%s"]}""".formatted(from, run, from + 1, from, String.join("\",\"", some)));
        }
        send("POST", "http://127.0.0.1:8081/builds", "github-actions", """
                {"buildId":"%s","ciSystem":"bench","runUrl":"https://ci.example.com/%s","repository":"https://git.example.com/r",
                 "commit":"3f2a9c1d","branch":"main","outcome":"SUCCEEDED","startedAt":"2026-11-29T10:00:00Z",
                 "finishedAt":"2026-11-29T10:01:00Z","artefacts":[%s]}""".formatted(run, run, String.join(",", artefacts)));
        for (int from = 0; from < features.size(); from += FEATURES_PER_ARTEFACT) {
            HttpResponse<String> deployment;
            do { // the orchestrator learns of the artefact from the registry's events a moment later
                deployment = send("POST", "http://127.0.0.1:8083/deployments", "argo-cd",
                        "{\"application\":\"app%d-%s\",\"version\":\"1.0.0\",\"environment\":\"%s\"}"
                                .formatted(from, run, environment));
                pause(deployment.statusCode() == 422);
            } while (deployment.statusCode() == 422);
            send("POST", "http://127.0.0.1:8083/deployments/" + field(deployment.body(), "id") + "/status", "argo-cd",
                    "{\"status\":\"SUCCEEDED\"}");
        }
        System.out.printf(Locale.ROOT, "%d features deployed in %d artefacts%n", features.size(), artefacts.size());
    }

    /** The analyzer's preflight refuses a rollout whose control series Prometheus has not scraped yet. */
    private void awaitScraped() throws Exception {
        String query = "count(http_server_requests_seconds_count{app=\"bench\",variant=\"off\",outcome=\"SUCCESS\"})";
        while (true) {
            String answer = get(prometheus + "/api/v1/query?query=" + java.net.URLEncoder.encode(query,
                    StandardCharsets.UTF_8));
            Matcher value = Pattern.compile("\"value\":\\[[^,]+,\"(\\d+)\"]").matcher(answer);
            if (value.find() && Integer.parseInt(value.group(1)) >= features.size()) {
                return;
            }
            pause(true);
        }
    }

    private String startRollout(String feature) throws Exception {
        String selector = "app=\\\"{{application}}\\\",feature=\\\"{{feature}}\\\",variant=\\\"{{variant}}\\\"";
        String count = "sum(increase(http_server_requests_seconds_count{" + selector + "}[{{window}}]))";
        String guard = """
                {"metric":"%s","name":"%s","maxIncrease":1.0,"confidence":0.95,"source":{"type":"prometheus",
                 "application":"bench","total":"%s","good":"%s"}}""";
        String errors = guard.formatted("errorRate", "errors", count, "sum(increase(http_server_requests_seconds_count{"
                + selector + ",outcome!=\\\"SERVER_ERROR\\\"}[{{window}}]))");
        String slow = guard.formatted("latency", "slow", count, "sum(increase(http_server_requests_seconds_bucket{"
                + selector + ",le=\\\"0.3\\\"}[{{window}}]))");
        String plan = """
                {"steps":[10,50,100],"minRequestsPerStep":%d,"minStepDuration":"%s","maxStepDuration":"PT10M",
                 "guard":%s,"additionalGuards":[%s]}""".formatted(rate * 10, minStepDuration, errors, slow);
        while (true) {
            HttpResponse<String> started = send("POST", "http://127.0.0.1:8084/features/" + feature + "/environments/"
                    + environment + "/rollouts", "carol", plan);
            if (started.statusCode() / 100 == 2) {
                return field(started.body(), "rolloutId");
            }
            if (started.statusCode() != 404 && started.statusCode() != 409 && started.statusCode() != 503) {
                throw new IllegalStateException(feature + ": " + started.statusCode() + " " + started.body());
            }
            pause(true); // the release-controller does not know the feature or its deployment yet, or the analyzer is busy
        }
    }

    /** Waits until every rollout ended; {@code firstEnded} runs once, when the first one has. */
    private void awaitEnded(List<String> ids, Duration patience, Callable<Void> firstEnded) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        List<String> active = new ArrayList<>(ids);
        boolean allRunning = true;
        while (!active.isEmpty() && Instant.now().isBefore(deadline)) {
            List<String> still = new ArrayList<>();
            for (String id : active) {
                Matcher status = STATUS.matcher(get("http://127.0.0.1:8085/rollouts/" + id));
                if (!status.find() || status.group(1).equals("ACTIVE")) {
                    still.add(id);
                }
            }
            active = still;
            if (allRunning && active.size() < ids.size()) {
                allRunning = false;
                firstEnded.call();
            }
            System.out.printf(Locale.ROOT, "%s: %d of %d rollouts active%n", Instant.now(), active.size(), ids.size());
            if (!active.isEmpty()) {
                Thread.sleep(5000); // every round asks the analyzer once per active rollout: not too often
            }
        }
    }

    /**
     * Per decision: its time minus the instant of the freshest look it judged. The evidence's window ends when the
     * judge looked at the readings, so the look's own instant comes from its queries: the step's start (the window's
     * start) plus their range, to the second.
     */
    private List<Double> lags(List<String> ids) throws Exception {
        List<Double> lags = new ArrayList<>();
        for (String id : ids) {
            String[] decisions = get("http://127.0.0.1:8085/rollouts/" + id + "/decisions").split("\"decidedAt\"");
            for (int i = 1; i < decisions.length; i++) {
                Matcher decided = Pattern.compile("^\\s*:\\s*\"([^\"]+)\"").matcher(decisions[i]);
                Matcher start = WINDOW_START.matcher(decisions[i]);
                Matcher range = LOOK_RANGE.matcher(decisions[i]);
                long freshest = -1;
                while (range.find()) {
                    freshest = Math.max(freshest, Long.parseLong(range.group(1)));
                }
                if (decided.find() && start.find() && freshest >= 0) {
                    Instant looked = Instant.parse(start.group(1)).plusSeconds(freshest);
                    lags.add(Duration.between(looked, Instant.parse(decided.group(1))).toMillis() / 1000.0);
                }
            }
        }
        return lags;
    }

    private double queriesAnswered() throws Exception {
        Matcher counter = QUERIES.matcher(get(prometheus + "/metrics"));
        double sum = 0;
        while (counter.find()) {
            sum += Double.parseDouble(counter.group(1));
        }
        return sum;
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + System.getenv("TOKEN_VIEWER")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> send(String method, String url, String persona, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
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

    /** The platform works asynchronously and has no event to wait on from outside: poll once a second. */
    private static void pause(boolean needed) throws InterruptedException {
        if (needed) {
            Thread.sleep(1000);
        }
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
