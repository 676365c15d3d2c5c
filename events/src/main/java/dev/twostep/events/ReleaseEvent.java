package dev.twostep.events;

import java.time.Duration;
import java.util.List;

/**
 * Facts published by the release-controller on {@link Topics#RELEASE_EVENTS}. Feature events are
 * keyed by feature key, so one feature's history stays in order; rollout events by rollout id.
 */
public sealed interface ReleaseEvent extends TwostepEvent {

    /** The only bucketing algorithm so far; every release names it so a change is visible. */
    String FLAGD_FRACTIONAL_100K = "murmur3-x86_32/featureKey+targetingKey/100000";

    /** Who sees a feature: a percentage in steps of 0.001, plus listed users who are always in. */
    record Audience(double percentage, List<String> users) {
        public static final Audience NOBODY = new Audience(0, List.of());

        public Audience {
            if (percentage < 0 || percentage > 100) {
                throw new IllegalArgumentException("percentage must be between 0 and 100");
            }
            users = Require.list(users);
        }
    }

    record FeatureDefined(String featureKey, String application, String description) implements ReleaseEvent {
        public FeatureDefined {
            Require.text(featureKey, "featureKey");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    record FeatureReleased(String featureKey, String environment, Audience audience, Audience previousAudience,
                           String reason, String rolloutId, String bucketing) implements ReleaseEvent {
        public FeatureReleased {
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.present(audience, "audience");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    record FeatureRolledBack(String featureKey, String environment, String reason, String decisionId,
                             Audience previousAudience) implements ReleaseEvent {
        public FeatureRolledBack {
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    /** The guard a rollout step must pass: the treatment's error rate may exceed the control's by at most this. */
    record Guard(String metric, double maxIncrease, double confidence) {
        public Guard {
            Require.text(metric, "guard.metric");
        }
    }

    record Plan(List<Double> steps, long minRequestsPerStep, Duration minStepDuration, Duration maxStepDuration,
                Guard guard) {
        public Plan {
            steps = Require.list(steps);
            Require.present(guard, "guard");
        }
    }

    record RolloutStarted(String rolloutId, String featureKey, String environment, Plan plan)
            implements ReleaseEvent {
        public RolloutStarted {
            Require.text(rolloutId, "rolloutId");
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.present(plan, "plan");
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }

    record RolloutCompleted(String rolloutId, String featureKey, String environment) implements ReleaseEvent {
        public RolloutCompleted {
            Require.text(rolloutId, "rolloutId");
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }

    record RolloutAborted(String rolloutId, String featureKey, String environment, String reason)
            implements ReleaseEvent {
        public RolloutAborted {
            Require.text(rolloutId, "rolloutId");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }
}
