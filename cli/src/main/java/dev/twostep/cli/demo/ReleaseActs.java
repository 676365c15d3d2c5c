package dev.twostep.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.PlatformClient.Reply;
import dev.twostep.cli.api.PlatformError;
import dev.twostep.cli.api.Service;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.twostep.cli.demo.Story.APPLICATION;
import static dev.twostep.cli.demo.Story.RELEASE_MANAGER;

/**
 * The release half of the {@link Story}: releases refused and made, an OFREP API key, rollouts judged on pushed
 * samples or on Prometheus, and the wait for each to end, through the public APIs and said on the timeline.
 */
final class ReleaseActs {

    private final PlatformClient api;
    private final Timeline timeline;
    private final Story.Pace pace;

    ReleaseActs(PlatformClient api, Timeline timeline, Story.Pace pace) {
        this.api = api;
        this.timeline = timeline;
        this.pace = pace;
    }

    /** Releasing before the feature's code runs in the environment must be refused with 409. */
    void refuseRelease(String feature, String environment) {
        Reply reply = api.put(Service.RELEASE, "/features/" + feature + "/environments/" + environment + "/audience",
                Map.of("percentage", 100, "users", List.of(), "reason", "launch"), RELEASE_MANAGER);
        if (reply.status() != 409) {
            throw new PlatformError("releasing " + feature + " before its code runs in " + environment
                    + " answered " + reply.status() + " instead of 409");
        }
        timeline.say("refused", "release " + feature + "@" + environment + " before deploy: 409 " + reply.explanation());
    }

    /** The release-controller learns from the deployment events that the feature's code now runs there. */
    void awaitCodeFor(String feature, String environment, String version) {
        Waiting.until(feature + " to be known as deployed in " + environment, pace.patience(),
                () -> releaseIn(feature, environment)
                        .filter(release -> release.path("deployedVersions").toString().contains(version)));
    }

    void release(String feature, String environment, List<String> users) {
        api.require(api.put(Service.RELEASE, "/features/" + feature + "/environments/" + environment + "/audience",
                Map.of("percentage", 0, "users", users, "reason", "staff try it first"), RELEASE_MANAGER),
                "releasing " + feature);
        timeline.say("release", feature + "@" + environment + " on for " + String.join(", ", users));
    }

    /** A key the application evaluates its flags with over OFREP, for prod only. */
    String issueApiKey(String run) {
        String key = api.require(api.post(Service.RELEASE, "/api-keys", Map.of("name",
                APPLICATION + " in prod (demo " + run + ")", "environments", List.of("prod")), RELEASE_MANAGER),
                "issuing an OFREP API key").path("key").asText();
        timeline.say("api-key", RELEASE_MANAGER + " issued " + APPLICATION + " an OFREP API key for prod only");
        return key;
    }

    String startRollout(String feature) {
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
    void awaitScraped(URI prometheus, ScrapedRequestMetrics scraped, String feature) {
        String query = "sum(increase(http_server_requests_seconds_count{app=\"" + APPLICATION + "\",feature=\""
                + feature + "\",variant=\"off\"}[5m]))";
        Waiting.until("Prometheus at " + prometheus + " to scrape " + scraped.endpoint(), pace.patience(),
                () -> PrometheusQueries.instant(prometheus, query));
        timeline.say("metrics", "Prometheus at " + prometheus + " scrapes " + scraped.endpoint() + ": "
                + "http_server_requests_seconds by feature and variant, labelled by an OpenFeature hook");
    }

    /**
     * The healthy feature judged from Prometheus, in the templates of the rollout-analyzer's README: errors as the
     * requests that did not fail over all requests, latency as the requests within 300 ms (the histogram's bucket)
     * over all requests. The analyzer's configured Prometheus ({@code twostep.analyzer.prometheus.url}) answers.
     */
    String startPrometheusRollout(String feature) {
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
    void awaitRolloutEnd(String feature, String rolloutId, String status, DecisionWatch decisions) {
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

    /** A feature whose code left the environment is switched off there by the release-controller itself. */
    void awaitSwitchedOff(String feature, String environment) {
        Waiting.until(feature + "@" + environment + " audience 0.0%", pace.patience(),
                () -> releaseIn(feature, environment)
                        .filter(release -> release.path("audience").path("percentage").asDouble() == 0
                                && release.path("audience").path("users").isEmpty()));
        timeline.say("release", feature + "@" + environment + " rolled back by itself: its code is no longer deployed");
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
}
