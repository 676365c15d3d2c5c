package dev.twostep.console.notification;

import dev.twostep.events.DeploymentEvent.DeploymentFailed;
import dev.twostep.events.DeploymentEvent.DeploymentRolledBack;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.PromotionApproved;
import dev.twostep.events.EventTypes;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;

import java.util.Set;

/**
 * The event types a subscription may ask for: the contract's own type strings for the events that need or inform a
 * person, and one type the console derives, because no service publishes "an approval is needed" (the
 * deploy-orchestrator refuses an unapproved deployment and writes nothing).
 */
public final class NotificationTypes {

    /**
     * A version succeeded in an environment that another environment promotes from, and that one requires an
     * approval: someone must approve the version there before it can go on. Derived by the console from
     * {@code dev.twostep.deployment.succeeded.v1} and the environments' definitions; source {@code /twostep/console}.
     */
    public static final String APPROVAL_NEEDED = "dev.twostep.promotion.approvalneeded.v1";

    public static final String DEPLOYMENT_SUCCEEDED = EventTypes.typeOf(DeploymentSucceeded.class);
    public static final String DEPLOYMENT_FAILED = EventTypes.typeOf(DeploymentFailed.class);
    public static final String DEPLOYMENT_ROLLED_BACK = EventTypes.typeOf(DeploymentRolledBack.class);
    public static final String PROMOTION_APPROVED = EventTypes.typeOf(PromotionApproved.class);
    public static final String ROLLOUT_HELD = EventTypes.typeOf(RolloutHoldDecided.class);
    public static final String ROLLBACK_DECIDED = EventTypes.typeOf(RolloutRollbackDecided.class);
    public static final String ROLLOUT_ABORTED = EventTypes.typeOf(RolloutAborted.class);
    public static final String ROLLOUT_COMPLETED = EventTypes.typeOf(RolloutCompleted.class);
    public static final String FEATURE_ROLLED_BACK = EventTypes.typeOf(FeatureRolledBack.class);

    /** Every type a subscription may name; any other is refused. */
    public static final Set<String> ALL = Set.of(APPROVAL_NEEDED, DEPLOYMENT_SUCCEEDED, DEPLOYMENT_FAILED,
            DEPLOYMENT_ROLLED_BACK, PROMOTION_APPROVED, ROLLOUT_HELD, ROLLBACK_DECIDED, ROLLOUT_ABORTED,
            ROLLOUT_COMPLETED, FEATURE_ROLLED_BACK);

    private NotificationTypes() {
    }
}
