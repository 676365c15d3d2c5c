package dev.twostep.console.rest;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.BuiltArtefact;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.events.TwostepEvent;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A scripted history of one application in one environment on 2026-11-20, with unique names so that tests sharing a
 * broker do not see each other's figures; a subclass writes the script with these helpers.
 */
abstract class ScriptedHistory {

    final String application = "shop-" + UUID.randomUUID().toString().substring(0, 8);
    final String environment = "env-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<EventEnvelope> events = new ArrayList<>();

    /** Every record, topic by topic in the order least helpful to a reader: decisions and releases first, builds last. */
    List<ProducerRecord<String, byte[]>> recordsOutOfOrder() {
        List<String> order = List.of(Topics.ROLLOUT_EVENTS, Topics.RELEASE_EVENTS, Topics.DEPLOYMENT_EVENTS,
                Topics.ARTEFACT_EVENTS, Topics.BUILD_EVENTS);
        return events.stream().sorted(Comparator.comparing((EventEnvelope e) -> order.indexOf(e.topic())))
                .map(CloudEventCodec::toRecord).toList();
    }

    List<EventEnvelope> events() {
        return List.copyOf(events);
    }

    EventEnvelope event(Class<? extends TwostepEvent> kind, int nth) {
        return events.stream().filter(e -> kind.isInstance(e.data())).skip(nth).findFirst().orElseThrow();
    }

    final void build(String finished, String version, List<String> features) {
        String buildId = "b" + version.replace(".", "") + "-" + application;
        String commit = "c" + version.replace(".", "");
        emit(finished, "build-service", buildId, new BuildCompleted(buildId, "github-actions", "https://ci/" + buildId,
                "https://git/shop", commit, "main", Outcome.SUCCEEDED, at(finished).minusSeconds(300), at(finished),
                List.of(new BuiltArtefact(application, version, "sha256:" + version, "pkg:oci/" + application,
                        features))));
        emit(finished, "artifact-registry", application + "@" + version, new ArtefactPublished(application, version,
                "sha256:" + version, "pkg:oci/" + application, buildId, null, "https://git/shop", commit, features,
                at(finished)));
    }

    final void deploy(String requested, String succeeded, String id, String version, String replaced) {
        emit(requested, "deploy-orchestrator", id, new DeploymentRequested(id, application, version, environment,
                "sha256:" + version, "c" + version, "b" + version.replace(".", "") + "-" + application, "dev-dana"));
        emit(succeeded, "deploy-orchestrator", id, new DeploymentSucceeded(id, application, version, environment,
                "sha256:" + version, "c" + version, replaced));
    }

    final EventEnvelope emit(String time, String service, String subject, TwostepEvent data) {
        long sequence = events.stream().filter(e -> e.subject().equals(subject)).count() + 1;
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), EventEnvelope.sourceOf(service), subject,
                sequence, at(time), "corr-" + application, null, "actor-" + service, null, data);
        events.add(envelope);
        return envelope;
    }

    static Instant at(String time) {
        return Instant.parse("2026-11-20T00:00:00Z").plusSeconds(LocalTime.parse(time).toSecondOfDay());
    }
}
