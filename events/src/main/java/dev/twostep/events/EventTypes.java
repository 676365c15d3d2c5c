package dev.twostep.events;

import dev.twostep.events.AccessEvent.ApiKeyIssued;
import dev.twostep.events.AccessEvent.ApiKeyRevoked;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRejected;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRequested;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentStarted;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one mapping between stable type strings ({@code dev.twostep.<aggregate>.<past-tense>.v<N>})
 * and records. Type strings are never derived from class names, so a rename cannot break the log.
 */
public final class EventTypes {

    private static final Map<String, Class<? extends TwostepEvent>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<? extends TwostepEvent>, String> BY_CLASS = new LinkedHashMap<>();

    static {
        register("dev.twostep.build.completed.v1", BuildCompleted.class);
        register("dev.twostep.artefact.published.v1", ArtefactPublished.class);
        register("dev.twostep.artefact.revoked.v1", ArtefactRevoked.class);
        register("dev.twostep.artefact.rejected.v1", ArtefactRejected.class);
        register("dev.twostep.environment.defined.v1", EnvironmentDefined.class);
        register("dev.twostep.deployment.requested.v1", DeploymentRequested.class);
        register("dev.twostep.deployment.started.v1", DeploymentStarted.class);
        register("dev.twostep.deployment.succeeded.v1", DeploymentSucceeded.class);
        register("dev.twostep.deployment.failed.v1", DeploymentFailed.class);
        register("dev.twostep.deployment.rolledback.v1", DeploymentRolledBack.class);
        register("dev.twostep.promotion.approved.v1", PromotionApproved.class);
        register("dev.twostep.feature.defined.v1", FeatureDefined.class);
        register("dev.twostep.feature.released.v1", FeatureReleased.class);
        register("dev.twostep.feature.rolledback.v1", FeatureRolledBack.class);
        register("dev.twostep.feature.definitionset.v1", FeatureDefinitionSet.class);
        register("dev.twostep.segment.defined.v1", SegmentDefined.class);
        register("dev.twostep.apikey.issued.v1", ApiKeyIssued.class);
        register("dev.twostep.apikey.revoked.v1", ApiKeyRevoked.class);
        register("dev.twostep.rollout.started.v1", RolloutStarted.class);
        register("dev.twostep.rollout.completed.v1", RolloutCompleted.class);
        register("dev.twostep.rollout.aborted.v1", RolloutAborted.class);
        register("dev.twostep.rollout.advancedecided.v1", RolloutAdvanceDecided.class);
        register("dev.twostep.rollout.holddecided.v1", RolloutHoldDecided.class);
        register("dev.twostep.rollout.rollbackdecided.v1", RolloutRollbackDecided.class);
        register("dev.twostep.metric.samplerecorded.v1", MetricSampleRecorded.class);
    }

    private EventTypes() {
    }

    private static void register(String type, Class<? extends TwostepEvent> recordClass) {
        BY_TYPE.put(type, recordClass);
        BY_CLASS.put(recordClass, type);
    }

    public static String typeOf(TwostepEvent event) {
        return typeOf(event.getClass());
    }

    public static String typeOf(Class<? extends TwostepEvent> recordClass) {
        String type = BY_CLASS.get(recordClass);
        if (type == null) {
            throw new IllegalStateException(recordClass.getName() + " has no registered type string");
        }
        return type;
    }

    public static Optional<Class<? extends TwostepEvent>> classOf(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static Set<String> all() {
        return BY_TYPE.keySet();
    }
}
