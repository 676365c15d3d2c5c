package dev.twostep.console.web;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.DeploymentEvent.Target;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * What the browser test looks at, with names unique to the run ({@link StoryNames}): checkout 1.4.0 runs in staging
 * and waits for an approval into prod (which runs 1.3.0; bob requested 1.4.0 for it); a rollout of its feature in
 * staging advanced at 10 % and held at 50 %. {@link StandInServices} answers the services' side of the same picture. Every event is a real envelope published on its topic, as the services would publish it.
 */
final class BrowserStory {

    private final StoryNames names = StoryNames.ofThisRun();
    final String suffix = names.suffix();
    final String application = names.application();
    final String staging = names.staging();
    final String prod = names.prod();
    final String feature = names.feature();
    final String rollout = names.rollout();
    final String correlation = "corr-" + suffix;
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(40));

    /** The story up to the held step, published on the topics. */
    void publish() {
        build("1.3.0", List.of(), 0);
        build("1.4.0", List.of(feature), 2);
        send("deploy-orchestrator", "environment:" + staging, 3, new EnvironmentDefined(staging, null, false, true,
                new Target("external", null, null, null)));
        send("deploy-orchestrator", "environment:" + prod, 3, new EnvironmentDefined(prod, staging, true, true,
                new Target("external", null, null, null)));
        send("deploy-orchestrator", "d-prod-" + suffix, 4, new DeploymentSucceeded("d-prod-" + suffix, application,
                "1.3.0", prod, "sha256:130", "c130", null));
        send("deploy-orchestrator", "d-staging-" + suffix, 5, new DeploymentSucceeded("d-staging-" + suffix,
                application, "1.4.0", staging, "sha256:140", "c140", "1.3.0"));
        send("release-controller", rollout, 10, new RolloutStarted(rollout, feature, staging, new Plan(
                List.of(10.0, 50.0, 100.0), 1000, Duration.ofMinutes(5), Duration.ofMinutes(30),
                new Guard("errorRate", 0.5, 0.95, null, null, null), null), null, null));
        send("release-controller", feature, 10, new FeatureReleased(feature, staging, new Audience(10, List.of()),
                Audience.NOBODY, "rollout starts", rollout, null));
        send("rollout-analyzer", rollout, 18, new RolloutAdvanceDecided(rollout + "/1", rollout, feature, staging, 1,
                10, 50, 1, new Evidence(null, new Counts(61_280, 674), new Counts(6_720, 65), "msprt", 0.27, 0.5,
                "concurrent", "treatment 0.97% of 6,720 vs control 1.1% of 61,280, -0.13pp, upper bound +0.27pp"
                + " < 0.5pp at 95%")));
        send("release-controller", feature, 18, new FeatureReleased(feature, staging, new Audience(50, List.of()),
                new Audience(10, List.of()), "rollout advances", rollout, null));
        send("rollout-analyzer", rollout, 35, new RolloutHoldDecided(rollout + "/2", rollout, feature, staging, 2,
                50, 50, 1, new Evidence(null, new Counts(20_000, 200), new Counts(20_000, 236), "msprt", 0.62, 0.5,
                "concurrent", "treatment 1.18% of 20,000 vs control 1.0% of 20,000, +0.18pp, upper bound +0.62pp"
                + " not below 0.5pp after 30m: held for a person")));
    }

    /** A deployment published now, for the timeline to show live. */
    EventEnvelope deployedNow(String version) {
        String id = "d-live-" + UUID.randomUUID();
        EventEnvelope event = envelope("deploy-orchestrator", id, Instant.now(), "argo-cd",
                new DeploymentSucceeded(id, application, version, prod, "sha256:" + version, "c" + version, "1.3.0"));
        KafkaProbe.send(CloudEventCodec.toRecord(event));
        return event;
    }

    /** An approval, as the deploy-orchestrator publishes it: the approver is the event's actor. */
    void approved(PromotionApproved approval) {
        KafkaProbe.send(CloudEventCodec.toRecord(envelope("deploy-orchestrator", "approval:" + approval.application()
                + "@" + approval.version() + "@" + approval.environment(), Instant.now(), approval.approvedBy(),
                approval)));
    }

    String buildId(String version) {
        return names.buildId(version);
    }

    private void build(String version, List<String> features, int minute) {
        String buildId = buildId(version);
        String commit = "c" + version.replace(".", "");
        Instant finished = start.plus(Duration.ofMinutes(minute));
        send("build-service", buildId, minute, new BuildCompleted(buildId, "github-actions",
                "https://ci.example.com/runs/" + buildId, "https://git.example.com/shop/checkout", commit, "main",
                Outcome.SUCCEEDED, finished.minusSeconds(300), finished, List.of(new BuiltArtefact(application,
                version, "sha256:" + version, "pkg:oci/" + application, features))));
        send("artifact-registry", application + "@" + version, minute, new ArtefactPublished(application, version,
                "sha256:" + version, "pkg:oci/" + application, buildId, null, "https://git.example.com/shop/checkout",
                commit, features, finished));
    }

    private void send(String service, String subject, int minute, TwostepEvent data) {
        KafkaProbe.send(CloudEventCodec.toRecord(envelope(service, subject, start.plus(Duration.ofMinutes(minute)),
                "actor-" + service, data)));
    }

    private EventEnvelope envelope(String service, String subject, Instant at, String actor, TwostepEvent data) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf(service), subject, 1, at, correlation,
                null, actor, null, data);
    }
}
