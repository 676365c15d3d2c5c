package dev.twostep.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient.Reply;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformError;
import dev.twostep.cli.api.Service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Twostep's main job, told through the public APIs only: a CI build becomes artefacts, the new version is
 * promoted dev → staging → (approval) → prod, a feature cannot be released before its code runs, one
 * feature rolls out to everyone over healthy traffic, another rolls back by itself because it fails more
 * often, and an environment rollback takes a feature's code away and with it the feature.
 *
 * <p>Each run uses versions of its own, so the story can be played again on a platform that has seen it.
 */
public final class Story {

    public static final String APPLICATION = "checkout";
    public static final String HEALTHY_FEATURE = "new-payment-form";
    public static final String FAILING_FEATURE = "one-click-reorder";
    public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");

    // Who acts: each has a local token with just the role it needs (Credentials.LOCAL_PERSONAS).
    private static final String CI = "github-actions";
    private static final String DEPLOYER = "bob";
    private static final String APPROVER = "alice";
    private static final String RELEASE_MANAGER = "carol";
    private static final String SRE = "sam";
    private static final String EXTERNAL_TOOL = "argo-cd";

    /** How fast the story runs: the rollout plan's step times and the simulated traffic. */
    public record Pace(Duration minStepDuration, Duration maxStepDuration, long minRequestsPerStep,
                       TrafficSimulator.Load load, Duration patience) {

        /** Short steps and busy traffic, so the whole story ends in about two minutes. */
        public static Pace demo() {
            return new Pace(Duration.ofSeconds(5), Duration.ofSeconds(90), 5_000,
                    new TrafficSimulator.Load(Duration.ofMillis(250), 20_000, 200, 10, 0.01), Duration.ofSeconds(120));
        }
    }

    /** What the story made, so a caller can check it afterwards. */
    public record Result(String run, String previousVersion, String newVersion, String buildId,
                         String healthyRolloutId, String failingRolloutId, Set<String> deploymentIds) {
    }

    private final PlatformClient api;
    private final Timeline timeline;
    private final Pace pace;
    private final Clock clock;
    private final String run;
    private final Set<String> deploymentIds = new HashSet<>();
    private final Optional<PrometheusDemo> prometheus;

    /** Where the demo's Prometheus runs and the port it scrapes the simulated application's metrics on. */
    public record PrometheusDemo(URI url, int metricsPort) {
    }

    public Story(PlatformClient api, Timeline timeline, Pace pace, Clock clock) {
        this(api, timeline, pace, clock, Optional.empty());
    }

    /** With {@code prometheus}, the healthy feature's rollout is judged from it, on errors and latency. */
    public Story(PlatformClient api, Timeline timeline, Pace pace, Clock clock, Optional<PrometheusDemo> prometheus) {
        this.prometheus = prometheus;
        this.api = api;
        this.timeline = timeline;
        this.pace = pace;
        this.clock = clock;
        this.run = Long.toString(clock.millis(), 36);
    }

    public Result play() {
        timeline.heading("Environments: dev, then staging, then prod with an approval");
        defineEnvironments();

        String previous = "1.3.0-r" + run;
        String next = "1.4.0-r" + run;
        timeline.heading("A CI reports two builds of " + APPLICATION);
        post(previous, List.of());
        String buildId = post(next, List.of(HEALTHY_FEATURE, FAILING_FEATURE));
        awaitPublished(previous);
        awaitPublished(next);

        timeline.heading(APPLICATION + " " + previous + " is what prod runs today");
        promote(previous);

        timeline.heading(APPLICATION + " " + next + " goes dev -> staging -> prod");
        deploy(next, "dev", DEPLOYER);
        deploy(next, "staging", DEPLOYER);
        refuseRelease(HEALTHY_FEATURE, "prod");
        refuseSelfApproval(next);
        approve(next, "prod");
        deploy(next, "prod", DEPLOYER);
        awaitCodeFor(HEALTHY_FEATURE, "prod", next);
        awaitCodeFor(FAILING_FEATURE, "prod", next);
        release(HEALTHY_FEATURE, "prod", List.of(APPROVER, RELEASE_MANAGER));

        timeline.heading("Two rollouts in prod, judged on simulated traffic (" + FAILING_FEATURE
                + " fails 1 pp more often)" + (prometheus.isPresent() ? "; " + HEALTHY_FEATURE
                + "'s guards read errors and latency from Prometheus" : ""));
        String healthy;
        String failing;
        String apiKey = api.require(api.post(Service.RELEASE, "/api-keys", Map.of("name",
                APPLICATION + " in prod (demo " + run + ")", "environments", List.of("prod")), RELEASE_MANAGER),
                "issuing an OFREP API key").path("key").asText();
        timeline.say("api-key", RELEASE_MANAGER + " issued " + APPLICATION + " an OFREP API key for prod only");
        Optional<ScrapedRequestMetrics> scraped = prometheus.map(demo -> ScrapedRequestMetrics.serve(
                demo.metricsPort(), APPLICATION, "prod", List.of(HEALTHY_FEATURE, FAILING_FEATURE),
                api.uri(Service.RELEASE, "/"), apiKey));
        try (TrafficSimulator traffic = new TrafficSimulator(api, APPLICATION, "prod", pace.load(),
                Map.of(FAILING_FEATURE, 0.01), clock, run, apiKey, scraped, Map.of())) {
            traffic.start();
            if (scraped.isPresent()) {
                awaitScraped(scraped.get(), HEALTHY_FEATURE);
                healthy = startPrometheusRollout(HEALTHY_FEATURE);
            } else {
                healthy = startRollout(HEALTHY_FEATURE);
            }
            failing = startRollout(FAILING_FEATURE);
            DecisionWatch decisions = new DecisionWatch(api, timeline);
            awaitRolloutEnd(HEALTHY_FEATURE, healthy, "COMPLETED", decisions);
            awaitRolloutEnd(FAILING_FEATURE, failing, "ABORTED", decisions);
            timeline.say("traffic", String.format("%,d simulated requests evaluated over OFREP", traffic.requests()));
        } finally {
            scraped.ifPresent(ScrapedRequestMetrics::close);
        }

        timeline.heading("prod rolls back to " + previous + ", which lacks both features");
        rollBack(previous);
        awaitAudience(HEALTHY_FEATURE, "prod", 0);
        return new Result(run, previous, next, buildId, healthy, failing, Set.copyOf(deploymentIds));
    }

    private void defineEnvironments() {
        String promotesFrom = null;
        for (String environment : ENVIRONMENTS) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("promotesFrom", promotesFrom);
            definition.put("requiresApproval", environment.equals("prod"));
            definition.put("autoRollbackOnFailure", environment.equals("prod"));
            definition.put("target", Map.of("kind", "external"));
            api.require(api.put(Service.DEPLOY, "/environments/" + environment, definition, SRE),
                    "defining " + environment);
            timeline.say("env", environment + (promotesFrom == null ? "" : " (promotes from " + promotesFrom + ")")
                    + (environment.equals("prod") ? ", approval required, rolls back by itself on failure" : ""));
            promotesFrom = environment;
        }
    }

    private String post(String version, List<String> features) {
        String buildId = "gha-" + run + "-" + version;
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("buildId", buildId);
        build.put("ciSystem", "github-actions");
        build.put("runUrl", "https://github.com/acme/checkout/actions/runs/" + run + version.hashCode());
        build.put("repository", "https://github.com/acme/checkout");
        build.put("commit", hex(20));
        build.put("branch", "main");
        build.put("outcome", "SUCCEEDED");
        build.put("startedAt", clock.instant().minusSeconds(300).toString());
        build.put("finishedAt", clock.instant().toString());
        build.put("artefacts", List.of(Map.of("name", APPLICATION, "version", version, "digest", "sha256:" + hex(32),
                "uri", "oci://registry.example.com/acme/checkout:" + version, "features", features)));
        Reply reply = api.post(Service.BUILD, "/builds", build, CI);
        api.require(reply, "posting build " + buildId);
        timeline.say("build", "CI posted " + buildId + ": " + APPLICATION + " " + version
                + (features.isEmpty() ? "" : " with features " + String.join(", ", features)) + " -> " + reply.status());
        return buildId;
    }

    private void awaitPublished(String version) {
        JsonNode artefact = Waiting.until(APPLICATION + " " + version + " to be published", pace.patience(), () -> {
            Reply reply = api.get(Service.REGISTRY, "/artefacts/" + APPLICATION + "/versions/" + version);
            return reply.isSuccess() ? Optional.of(reply.body()) : Optional.empty();
        });
        timeline.say("artefact", APPLICATION + " " + version + " published: " + shortDigest(artefact.path("digest").asText())
                + ", commit " + artefact.path("provenance").path("commit").asText().substring(0, 7));
    }

    private void promote(String version) {
        deploy(version, "dev", DEPLOYER);
        deploy(version, "staging", DEPLOYER);
        approve(version, "prod");
        deploy(version, "prod", DEPLOYER);
    }

    /** Requests a deployment, plays the external deploy tool that carries it out, and waits for the outcome. */
    private void deploy(String version, String environment, String actor) {
        // The orchestrator learns of a new artefact from the registry's events a moment after it is published.
        Reply requested = Waiting.until("the deploy-orchestrator to know " + APPLICATION + " " + version,
                pace.patience(), () -> {
                    Reply reply = api.post(Service.DEPLOY, "/deployments",
                            Map.of("application", APPLICATION, "version", version, "environment", environment), actor);
                    return reply.status() == 422 ? Optional.empty() : Optional.of(reply);
                });
        String id = api.require(requested, "deploying " + version + " to " + environment).path("id").asText();
        deploymentIds.add(id);
        reportSuccess(id);
        JsonNode done = awaitDeployment(id);
        String replaced = done.path("replacedVersion").asText("");
        timeline.say("deploy", APPLICATION + " " + version + " -> " + environment + ": "
                + done.path("status").asText() + (replaced.isEmpty() ? "" : " (replaced " + replaced + ")"));
    }

    private void reportSuccess(String deploymentId) {
        api.require(api.post(Service.DEPLOY, "/deployments/" + deploymentId + "/status",
                Map.of("status", "SUCCEEDED", "reason", "synced by " + EXTERNAL_TOOL), EXTERNAL_TOOL),
                "reporting deployment " + deploymentId);
    }

    private JsonNode awaitDeployment(String id) {
        return Waiting.until("deployment " + id + " to finish", pace.patience(), () -> {
            JsonNode deployment = api.get(Service.DEPLOY, "/deployments/" + id).body();
            String status = deployment.path("status").asText();
            if (status.equals("FAILED")) {
                throw new PlatformError("deployment " + id + " failed: " + deployment.path("reason").asText());
            }
            return status.equals("SUCCEEDED") ? Optional.of(deployment) : Optional.empty();
        });
    }

    private void approve(String version, String environment) {
        api.require(api.post(Service.DEPLOY, "/environments/" + environment + "/approvals",
                Map.of("application", APPLICATION, "version", version), APPROVER),
                "approving " + version);
        timeline.say("approval", APPROVER + " approved " + APPLICATION + " " + version + " for " + environment);
    }

    private void refuseSelfApproval(String version) {
        Reply reply = api.post(Service.DEPLOY, "/environments/prod/approvals",
                Map.of("application", APPLICATION, "version", version), DEPLOYER);
        Reply deploy = api.post(Service.DEPLOY, "/deployments",
                Map.of("application", APPLICATION, "version", version, "environment", "prod"), DEPLOYER);
        if (deploy.isSuccess()) {
            throw new PlatformError("a deployment approved only by its own requester was accepted");
        }
        timeline.say("refused", DEPLOYER + " approving his own deployment to prod: " + reply.status() + ", deploying: "
                + deploy.status() + " " + deploy.explanation());
    }

    private void refuseRelease(String feature, String environment) {
        Reply reply = api.put(Service.RELEASE, "/features/" + feature + "/environments/" + environment + "/audience",
                Map.of("percentage", 100, "users", List.of(), "reason", "launch"), RELEASE_MANAGER);
        if (reply.status() != 409) {
            throw new PlatformError("releasing " + feature + " before its code runs in " + environment
                    + " answered " + reply.status() + " instead of 409");
        }
        timeline.say("refused", "release " + feature + "@" + environment + " before deploy: 409 " + reply.explanation());
    }

    /** The release-controller learns from the deployment events that the feature's code now runs there. */
    private void awaitCodeFor(String feature, String environment, String version) {
        Waiting.until(feature + " to be known as deployed in " + environment, pace.patience(),
                () -> releaseIn(feature, environment)
                        .filter(release -> release.path("deployedVersions").toString().contains(version)));
    }

    /** A feature's release in one environment, as the release-controller shows it. */
    private Optional<JsonNode> releaseIn(String feature, String environment) {
        for (JsonNode release : api.get(Service.RELEASE, "/features/" + feature).body().path("environments")) {
            if (release.path("environment").asText().equals(environment)) {
                return Optional.of(release);
            }
        }
        return Optional.empty();
    }

    private void release(String feature, String environment, List<String> users) {
        api.require(api.put(Service.RELEASE, "/features/" + feature + "/environments/" + environment + "/audience",
                Map.of("percentage", 0, "users", users, "reason", "staff try it first"), RELEASE_MANAGER),
                "releasing " + feature);
        timeline.say("release", feature + "@" + environment + " on for " + String.join(", ", users));
    }

    private String startRollout(String feature) {
        String id = startRollout(feature, Map.of("metric", "errorRate", "maxIncrease", 0.5, "confidence", 0.95),
                List.of());
        timeline.say("rollout", feature + "@prod: 10% -> 50% -> 100%, guard +0.5pp error rate at 95% (" + id + ")");
        return id;
    }

    /**
     * The Prometheus guards refuse to start on queries that name no series (the analyzer's preflight, which asks for
     * the control's increase over the last 5 minutes), so the rollout starts once that query has an answer: two
     * scrapes of the control's requests, since {@code increase()} needs two samples.
     */
    private void awaitScraped(ScrapedRequestMetrics scraped, String feature) {
        URI url = prometheus.orElseThrow().url();
        String query = "sum(increase(http_server_requests_seconds_count{app=\"" + APPLICATION + "\",feature=\""
                + feature + "\",variant=\"off\"}[5m]))";
        Waiting.until("Prometheus at " + url + " to scrape " + scraped.endpoint(), pace.patience(),
                () -> PrometheusQueries.instant(url, query));
        timeline.say("metrics", "Prometheus at " + url + " scrapes " + scraped.endpoint() + ": "
                + "http_server_requests_seconds by feature and variant, labelled by an OpenFeature hook");
    }

    /**
     * The healthy feature judged from Prometheus, in the templates of the rollout-analyzer's README: errors as the
     * requests that did not fail over all requests, latency as the requests within 300 ms (the histogram's bucket)
     * over all requests. The analyzer's configured Prometheus ({@code twostep.analyzer.prometheus.url}) answers.
     */
    private String startPrometheusRollout(String feature) {
        String selector = "app=\"{{application}}\",feature=\"{{feature}}\",variant=\"{{variant}}\"";
        String requests = "sum(increase(http_server_requests_seconds_count{" + selector + "}[{{window}}]))";
        Map<String, Object> errors = Map.of("metric", "errorRate", "name", "errors", "maxIncrease", 0.5,
                "confidence", 0.95, "source", Map.of("type", "prometheus", "application", APPLICATION,
                        "total", requests, "good", "sum(increase(http_server_requests_seconds_count{" + selector
                                + ",outcome!=\"SERVER_ERROR\"}[{{window}}]))"));
        Map<String, Object> latency = Map.of("metric", "latency", "name", "slow", "maxIncrease", 1.0,
                "confidence", 0.95, "source", Map.of("type", "prometheus", "application", APPLICATION,
                        "total", requests, "good", "sum(increase(http_server_requests_seconds_bucket{" + selector
                                + ",le=\"0.3\"}[{{window}}]))"));
        String id = startRollout(feature, errors, List.of(latency));
        timeline.say("rollout", feature + "@prod: 10% -> 50% -> 100%, guards +0.5pp errors and +1pp requests over "
                + "300 ms at 95% (97.5% each), both from Prometheus (" + id + ")");
        return id;
    }

    private String startRollout(String feature, Map<String, Object> guard, List<Map<String, Object>> additionalGuards) {
        Map<String, Object> plan = Map.of("steps", List.of(10, 50, 100),
                "minRequestsPerStep", pace.minRequestsPerStep(),
                "minStepDuration", pace.minStepDuration().toString(),
                "maxStepDuration", pace.maxStepDuration().toString(),
                "guard", guard, "additionalGuards", additionalGuards);
        JsonNode rollout = api.require(api.post(Service.RELEASE, "/features/" + feature + "/environments/prod/rollouts",
                plan, RELEASE_MANAGER), "starting the rollout of " + feature);
        return rollout.path("rolloutId").asText();
    }

    /** The analyzer follows every rollout to its end from the release events, so it can say how it ended. */
    private void awaitRolloutEnd(String feature, String rolloutId, String status, DecisionWatch decisions) {
        String ended = Waiting.until("rollout " + rolloutId + " of " + feature + " to end", pace.patience(), () -> {
            decisions.printNew(rolloutId);
            Reply rollout = api.get(Service.ROLLOUT, "/rollouts/" + rolloutId);
            String now = rollout.body().path("status").asText();
            // 404 until the analyzer has read the RolloutStarted event
            return !rollout.isSuccess() || now.equals("ACTIVE") ? Optional.empty() : Optional.of(now);
        });
        decisions.printNew(rolloutId);
        if (!ended.equals(status)) {
            throw new PlatformError("rollout of " + feature + " ended " + ended + ", expected " + status);
        }
        timeline.say("rollout", feature + "@prod " + ended.toLowerCase(Locale.ROOT));
    }

    private void rollBack(String toVersion) {
        JsonNode rollback = api.require(api.post(Service.DEPLOY, "/environments/prod/applications/" + APPLICATION
                + "/rollback", Map.of("reason", "checkout latency regression"), SRE), "rolling prod back");
        String id = rollback.path("id").asText();
        deploymentIds.add(id);
        reportSuccess(id);
        awaitDeployment(id);
        timeline.say("rollback", "prod runs " + APPLICATION + " " + toVersion + " again");
    }

    private void awaitAudience(String feature, String environment, double percentage) {
        Waiting.until(feature + "@" + environment + " audience " + percentage + "%", pace.patience(),
                () -> releaseIn(feature, environment)
                        .filter(release -> release.path("audience").path("percentage").asDouble() == percentage
                                && release.path("audience").path("users").isEmpty()));
        timeline.say("release", feature + "@" + environment + " rolled back by itself: its code is no longer deployed");
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
    }

    private final Random random = new Random();

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
