package dev.twostep.releasecontroller.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.DeployedService.CodeChange;

import java.util.List;
import java.util.Optional;

/**
 * What the release-controller does with the other services' events: it learns which features an artefact carries
 * and what runs where, rolls back released features whose code went away, and carries out the rollout analyzer's
 * decisions. Each effect continues the consumed event's story.
 */
class DeliveryHandlers {

    private static final String ACTOR = "release-controller";

    /** What the handlers ask of the release-controller: its services ({@link ServiceEffects}), or a test's record. */
    interface Effects {
        void discover(FeatureDefined feature, EventMetadata metadata);

        /** @return the environments that already run the artefact's version (their deploy was seen first) */
        List<String> recordArtefact(ArtefactPublished published);

        /** @return what the deployment changed in its environment, empty when it changed nothing */
        Optional<CodeChange> recordDeployment(DeploymentSucceeded succeeded, EventEnvelope envelope);

        void enforceDeployedCode(CodeChange change, EventMetadata metadata);

        void carryOut(RolloutDecisionEvent decision, EventMetadata metadata);
    }

    private final Effects effects;

    DeliveryHandlers(Effects effects) {
        this.effects = effects;
    }

    EventHandlers handlers() {
        return EventHandlers.on(ArtefactPublished.class, this::artefactPublished)
                .and(DeploymentSucceeded.class, this::deploymentSucceeded)
                .and(RolloutDecisionEvent.class, this::decided);
    }

    /**
     * Every feature listed in the artefact is defined, with the artefact's application, and the artefact's features
     * are remembered for "release needs deploy".
     */
    void artefactPublished(ArtefactPublished published, EventEnvelope envelope) {
        EventMetadata metadata = EventMetadata.causedBy(envelope, ACTOR);
        for (String featureKey : published.features()) {
            effects.discover(new FeatureDefined(featureKey, published.name(), null), metadata);
        }
        // A deploy of this version may have been seen first; now its contents are known.
        for (String environment : effects.recordArtefact(published)) {
            effects.enforceDeployedCode(new CodeChange(environment, published.name(), null), metadata);
        }
    }

    /**
     * What runs where is learnt from successes only: a rollback arrives as the success of a new deployment of the
     * previous version. A success that names no application, version or environment tells nothing.
     */
    void deploymentSucceeded(DeploymentSucceeded succeeded, EventEnvelope envelope) {
        if (succeeded.application() != null && succeeded.version() != null && succeeded.environment() != null) {
            effects.recordDeployment(succeeded, envelope).ifPresent(change -> effects.enforceDeployedCode(change,
                    EventMetadata.causedBy(envelope, ACTOR)));
        }
    }

    /** The release decides whether the decision still applies. */
    void decided(RolloutDecisionEvent decision, EventEnvelope envelope) {
        effects.carryOut(decision, EventMetadata.causedBy(envelope, ACTOR));
    }
}
