package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import dev.twostep.releasecontroller.feature.InvalidDefinition;
import dev.twostep.releasecontroller.feature.Targeting;
import dev.twostep.releasecontroller.release.DeployedCode;
import dev.twostep.releasecontroller.service.DeployedService.CodeChange;
import dev.twostep.releasecontroller.release.Release;
import dev.twostep.releasecontroller.view.FeatureReleaseEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseRepository;
import dev.twostep.releasecontroller.view.FeatureRepository;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.SegmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides on releases and rollouts and, in the same transaction, appends the events and keeps the
 * read model; the in-memory flag snapshot follows once the transaction has committed.
 */
@ApplicationScoped
public class ReleaseService {

    private final EventStore store;
    private final CommandPath commands;
    private final ReleaseStreams streams;
    private final FeatureRepository features;
    private final FeatureReleaseRepository releases;
    private final DeployedService deployed;
    private final ReleaseProjection projection;
    private final SegmentRepository segments;

    ReleaseService(EventStore store, CommandPath commands, ReleaseStreams streams, FeatureRepository features,
                   FeatureReleaseRepository releases, DeployedService deployed, ReleaseProjection projection,
                   SegmentRepository segments) {
        this.store = store;
        this.commands = commands;
        this.streams = streams;
        this.features = features;
        this.releases = releases;
        this.deployed = deployed;
        this.projection = projection;
        this.segments = segments;
    }

    /** A person acts on a release: the events continue the story of the deployment that brought its code. */
    public void setAudience(String featureKey, String environment, Audience audience, String reason, String actor) {
        commands.run(() -> {
            boolean codeDeployed = codeDeployed(featureKey, environment);
            decideAndAppend(featureKey, story(featureKey, environment, actor),
                    release -> release.setAudience(environment, audience, reason, codeDeployed));
        });
    }

    /**
     * A person sets the feature's flag definition (flagd's format) in the environment. It is checked against the
     * environment's segments before anything is decided: a refusal names the JSON Pointer and the rule (400). The
     * segments are read under the environment's segment lock, so they are the ones current when this commits.
     */
    public void setDefinition(String featureKey, String environment, JsonNode definition, String reason,
                              String actor) {
        commands.run(() -> {
            this.segments.lockEnvironment(environment);
            Map<String, JsonNode> segments = segmentsIn(environment);
            FlagDefinition parsed = checked(() -> FlagDefinition.parse(definition, segments));
            boolean codeDeployed = codeDeployed(featureKey, environment);
            decideAndAppend(featureKey, story(featureKey, environment, actor),
                    release -> release.setDefinition(environment, parsed, reason, codeDeployed));
        });
    }

    /**
     * Defines or changes a segment of the environment. Every definition there that references it is written
     * again with the new rule in the same transaction, so that no reader evaluates a flag with a stale segment;
     * the environment's segment lock makes a definition written at the same time one of those it finds.
     */
    public void defineSegment(String environment, String name, JsonNode rule, String reason, String actor) {
        commands.run(() -> {
            checked(() -> {
                Targeting.checkSegment(rule, "");
                return rule;
            });
            segments.lockEnvironment(environment);
            EventMetadata metadata = EventMetadata.startedBy(actor);
            List<EventEnvelope> changed = commands.decide(SegmentDefined.aggregateIdOf(environment, name),
                    (List<SegmentDefined> history) -> history.stream().map(SegmentDefined::rule)
                            .reduce((earlier, later) -> later),
                    current -> current.filter(rule::equals).isPresent() ? List.<SegmentDefined>of()
                            : List.of(new SegmentDefined(environment, name, rule, reason)),
                    metadata, projection::project);
            if (changed.isEmpty()) {
                return;
            }
            for (FeatureReleaseEntity row : releases.definedIn(environment)) {
                if (JsonText.trees(row.segments).containsKey(name)) {
                    decideAndAppend(row.featureKey, metadata,
                            release -> release.segmentChanged(environment, name, rule));
                }
            }
        });
    }

    /** The environment's segments, by name. */
    public Map<String, JsonNode> segmentsIn(String environment) {
        Map<String, JsonNode> byName = new TreeMap<>();
        segments.in(environment).forEach(row -> byName.put(row.name, JsonText.tree(row.rule)));
        return byName;
    }

    private static <T> T checked(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidDefinition invalid) {
            throw ProblemException.invalid(invalid.path(), invalid.rule());
        }
    }

    public void rollBack(String featureKey, String environment, String reason, String actor) {
        commands.run(() -> decideAndAppend(featureKey, story(featureKey, environment, actor),
                release -> release.rollBack(environment, reason)));
    }

    public void abortRollout(String featureKey, String environment, String reason, String actor) {
        commands.run(() -> decideAndAppend(featureKey, story(featureKey, environment, actor),
                release -> release.abortRollout(environment, reason)));
    }

    public void promoteRollout(String featureKey, String environment, String reason, String actor) {
        commands.run(() -> decideAndAppend(featureKey, story(featureKey, environment, actor),
                release -> release.promoteRollout(environment, reason)));
    }

    /** A rollout that a request started, or had already started when it is a retry. */
    public record StartedRollout(String rolloutId, boolean created) {
    }

    /**
     * Starts a rollout. With an idempotency key the rollout id is derived from it, so a retried
     * request finds the rollout it started instead of starting (or being refused) a second one.
     */
    public StartedRollout startRollout(String featureKey, String environment, Plan plan, String treatment,
                                       String idempotencyKey, String actor) {
        return commands.call(() -> {
            String rolloutId = "ro-" + (idempotencyKey == null ? UUID.randomUUID() : UUID.nameUUIDFromBytes(
                    (featureKey + "\n" + environment + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8)));
            List<EventEnvelope> earlier = idempotencyKey == null ? List.of() : store.load(rolloutId);
            if (!earlier.isEmpty()) {
                if (!((RolloutStarted) earlier.getFirst().data()).plan().equals(plan)) {
                    throw ProblemException.conflict("Idempotency-Key " + idempotencyKey + " already started rollout "
                            + rolloutId + " with another plan");
                }
                return new StartedRollout(rolloutId, false);
            }
            boolean codeDeployed = codeDeployed(featureKey, environment);
            decideAndAppend(featureKey, story(featureKey, environment, actor),
                    release -> release.startRollout(rolloutId, environment, plan, treatment, codeDeployed));
            return new StartedRollout(rolloutId, true);
        });
    }

    /** Runs in the consumer's transaction, together with the decision's inbox row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(RolloutDecisionEvent decision, EventMetadata metadata) {
        List<EventEnvelope> rollout = store.load(decision.rolloutId());
        if (!rollout.isEmpty() && rollout.getFirst().data() instanceof RolloutStarted started) {
            decideAndAppend(started.featureKey(), metadata, release -> release.decide(decision));
        }
    }

    /**
     * Keeps "a released feature's code runs where it is released": every feature switched on in the
     * environment whose code the change took away is rolled back by itself.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enforceDeployedCode(CodeChange change, EventMetadata metadata) {
        for (FeatureReleaseEntity row : releases.switchedOnAndMaybeGone(change.environment(), change.application(),
                change.replacedVersion())) {
            if (presence(row.featureKey, change.environment()) == DeployedCode.Presence.ABSENT) {
                decideAndAppend(row.featureKey, metadata, release -> release.codeGone(change.environment()));
            }
        }
    }

    private EventMetadata story(String featureKey, String environment, String actor) {
        return deployed.storyOf(featureKey, environment, actor).orElseGet(() -> EventMetadata.startedBy(actor));
    }

    private boolean codeDeployed(String featureKey, String environment) {
        return presence(featureKey, environment) == DeployedCode.Presence.DEPLOYED;
    }

    private DeployedCode.Presence presence(String featureKey, String environment) {
        String application = features.findByIdOptional(featureKey).map(f -> f.application).orElse(null);
        return deployed.relevantTo(featureKey, application, environment).presenceOf(featureKey, application);
    }

    private void decideAndAppend(String featureKey, EventMetadata metadata,
                                 Function<Release, List<ReleaseEvent>> decision) {
        commands.decide(streams.load(featureKey), decision, metadata, projection::project);
    }

}
