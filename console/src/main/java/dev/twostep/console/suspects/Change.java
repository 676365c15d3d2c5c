package dev.twostep.console.suspects;

import java.time.Instant;
import java.util.UUID;

/**
 * One change to an environment, as the change log keeps it: what it was, who made it and why, and the story it
 * belongs to. Only the fields of its kind are set.
 *
 * @param percentage         the audience after an audience change, or before a feature's rollback
 * @param previousPercentage the audience before an audience change
 * @param usersChanged       the listed users (always in) changed
 */
public record Change(UUID eventId, Instant at, Kind kind, String application, String featureKey, String version,
                     String previousVersion, String commit, String buildId, Double percentage,
                     Double previousPercentage, boolean usersChanged, String rolloutId, String actor, String reason,
                     String summary, String correlationId) {

    public enum Kind {
        DEPLOYED, DEPLOY_FAILED, DEPLOY_ROLLED_BACK, AUDIENCE_CHANGED, ROLLOUT_STEP, DEFINITION_SET, FEATURE_ROLLED_BACK,
        ROLLOUT_STARTED, ROLLOUT_COMPLETED, ROLLOUT_ABORTED, DECISION, PROMOTION_APPROVED, ENVIRONMENT_DEFINED,
        API_KEY_ISSUED, API_KEY_REVOKED
    }
}
