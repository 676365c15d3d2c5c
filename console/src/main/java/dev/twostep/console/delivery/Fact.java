package dev.twostep.console.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One fact of one application's (deploy) or one of its features' (release) history in one environment, reduced to
 * what the four keys need. Every fact names the event it came from, so that each figure can be expanded into the
 * events it was computed from. Facts may be given in any order: {@link DeliveryMetrics} orders them by time.
 */
public sealed interface Fact {

    UUID eventId();

    /** When it happened at the service that recorded it (the event's time). */
    Instant at();

    record DeployRequested(UUID eventId, Instant at, String deploymentId, String version) implements Fact {
    }

    /** @param replacedVersion what ran before, or null for a first deployment */
    record DeploySucceeded(UUID eventId, Instant at, String deploymentId, String version, String replacedVersion)
            implements Fact {
    }

    record DeployFailed(UUID eventId, Instant at, String deploymentId, String version, String reason)
            implements Fact {
    }

    /** The deployment {@code deploymentId} put {@code toVersion} back in place of {@code fromVersion}. */
    record DeployRolledBack(UUID eventId, Instant at, String deploymentId, String fromVersion, String toVersion,
                            String reason) implements Fact {
    }

    /**
     * A change of whom a feature reaches in the environment, made by a person when {@code rolloutId} is null (a
     * release of its own), else as a rollout's step (counted once, as the rollout).
     */
    sealed interface Reach extends Fact {

        String featureKey();

        String rolloutId();

        /** Someone can see the feature: the first such change is the feature's first exposure. */
        boolean exposes();

        /** Nobody is left out: the first such change is the feature's first 100 %. */
        boolean everyone();
    }

    /**
     * A feature's audience changed: by a person when {@code rolloutId} is null, else as a rollout's step.
     *
     * @param users how many users are listed (always in), beside the percentage
     */
    record AudienceChanged(UUID eventId, Instant at, String featureKey, double percentage, int users,
                           double previousPercentage, int previousUsers, String rolloutId, String reason)
            implements Reach {

        @Override
        public boolean exposes() {
            return percentage > 0 || users > 0;
        }

        @Override
        public boolean everyone() {
            return percentage >= 100;
        }
    }

    /**
     * A person set a flag definition that can serve a variant other than its default to some context: a release,
     * as an audience set by hand is ({@link DefinitionReach} says which definitions count). It exposes the feature;
     * it reaches everyone when no context can get the default.
     */
    record DefinitionReleased(UUID eventId, Instant at, String featureKey, boolean everyone, String reason)
            implements Reach {

        @Override
        public String rolloutId() {
            return null;
        }

        @Override
        public boolean exposes() {
            return true;
        }
    }

    /** A feature switched off; {@code decisionId} names the rollout decision that did it, if one did. */
    record FeatureRolledBack(UUID eventId, Instant at, String featureKey, String reason, String decisionId,
                             double previousPercentage, int previousUsers) implements Fact {

        /** The reason the release-controller writes when a feature's code no longer runs ({@code Release.CODE_GONE}). */
        public static final String CODE_GONE = "code no longer deployed";

        public Cause cause() {
            if (decisionId != null) {
                return Cause.DECISION;
            }
            return CODE_GONE.equals(reason) ? Cause.CODE_LEFT : Cause.PERSON;
        }

        public enum Cause { DECISION, PERSON, CODE_LEFT }
    }

    record RolloutStarted(UUID eventId, Instant at, String featureKey, String rolloutId) implements Fact {
    }

    record RolloutCompleted(UUID eventId, Instant at, String featureKey, String rolloutId) implements Fact {
    }

    /** The rollout analyzer decided to roll a step back: the moment a release failure was detected. */
    record RollbackDecided(UUID eventId, Instant at, String featureKey, String rolloutId, String decisionId)
            implements Fact {
    }
}
