package dev.twostep.cli.demo;

import dev.twostep.cli.api.PlatformClient;
import dev.twostep.cli.api.Service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Twostep's main job, told through the public APIs only: a CI build becomes artefacts, the new version is
 * promoted dev → staging → (approval) → prod, a feature cannot be released before its code runs, one
 * feature rolls out to everyone over healthy traffic, another rolls back by itself because it fails more
 * often, and an environment rollback takes a feature's code away and with it the feature.
 *
 * <p>Each run uses versions of its own, so the story can be played again on a platform that has seen it. This class
 * is the script; {@link DeployActs} and {@link ReleaseActs} play its deploy and release halves.
 */
public final class Story {

    public static final String APPLICATION = "checkout";
    public static final String HEALTHY_FEATURE = "new-payment-form";
    public static final String FAILING_FEATURE = "one-click-reorder";
    public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");

    // Who acts: each has a local token with just the role it needs (Credentials.LOCAL_PERSONAS).
    static final String CI = "github-actions";
    static final String DEPLOYER = "bob";
    static final String APPROVER = "alice";
    static final String RELEASE_MANAGER = "carol";
    static final String SRE = "sam";
    static final String EXTERNAL_TOOL = "argo-cd";

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
    private final Optional<PrometheusDemo> prometheus;
    private final DeployActs deploys;
    private final ReleaseActs releases;

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
        this.deploys = new DeployActs(api, timeline, pace.patience(), clock, run);
        this.releases = new ReleaseActs(api, timeline, pace);
    }

    public Result play() {
        timeline.heading("Environments: dev, then staging, then prod with an approval");
        deploys.defineEnvironments();

        String previous = "1.3.0-r" + run;
        String next = "1.4.0-r" + run;
        timeline.heading("A CI reports two builds of " + APPLICATION);
        deploys.postBuild(previous, List.of());
        String buildId = deploys.postBuild(next, List.of(HEALTHY_FEATURE, FAILING_FEATURE));
        deploys.awaitPublished(previous);
        deploys.awaitPublished(next);

        timeline.heading(APPLICATION + " " + previous + " is what prod runs today");
        deploys.promote(previous);

        timeline.heading(APPLICATION + " " + next + " goes dev -> staging -> prod");
        deploys.deploy(next, "dev");
        deploys.deploy(next, "staging");
        releases.refuseRelease(HEALTHY_FEATURE, "prod");
        deploys.refuseSelfApproval(next);
        deploys.approve(next, "prod");
        deploys.deploy(next, "prod");
        releases.awaitCodeFor(HEALTHY_FEATURE, "prod", next);
        releases.awaitCodeFor(FAILING_FEATURE, "prod", next);
        releases.release(HEALTHY_FEATURE, "prod", List.of(APPROVER, RELEASE_MANAGER));

        timeline.heading("Two rollouts in prod, judged on simulated traffic (" + FAILING_FEATURE
                + " fails 1 pp more often)" + (prometheus.isPresent() ? "; " + HEALTHY_FEATURE
                + "'s guards read errors and latency from Prometheus" : ""));
        String healthy;
        String failing;
        String apiKey = releases.issueApiKey(run);
        Optional<ScrapedRequestMetrics> scraped = prometheus.map(demo -> ScrapedRequestMetrics.serve(
                demo.metricsPort(), APPLICATION, "prod", List.of(HEALTHY_FEATURE, FAILING_FEATURE),
                api.uri(Service.RELEASE, "/"), apiKey));
        try (TrafficSimulator traffic = new TrafficSimulator(api, APPLICATION, "prod", pace.load(),
                Map.of(FAILING_FEATURE, 0.01), clock, run, apiKey, scraped, Map.of())) {
            traffic.start();
            if (scraped.isPresent()) {
                releases.awaitScraped(prometheus.orElseThrow().url(), scraped.get(), HEALTHY_FEATURE);
                healthy = releases.startPrometheusRollout(HEALTHY_FEATURE);
            } else {
                healthy = releases.startRollout(HEALTHY_FEATURE);
            }
            failing = releases.startRollout(FAILING_FEATURE);
            DecisionWatch decisions = new DecisionWatch(api, timeline);
            releases.awaitRolloutEnd(HEALTHY_FEATURE, healthy, "COMPLETED", decisions);
            releases.awaitRolloutEnd(FAILING_FEATURE, failing, "ABORTED", decisions);
            timeline.say("traffic", String.format("%,d simulated requests evaluated over OFREP", traffic.requests()));
        } finally {
            scraped.ifPresent(ScrapedRequestMetrics::close);
        }

        timeline.heading("prod rolls back to " + previous + ", which lacks both features");
        deploys.rollBack(previous);
        releases.awaitSwitchedOff(HEALTHY_FEATURE, "prod");
        return new Result(run, previous, next, buildId, healthy, failing, deploys.deploymentIds());
    }
}
