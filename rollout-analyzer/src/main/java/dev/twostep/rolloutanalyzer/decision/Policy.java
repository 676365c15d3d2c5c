package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.ReleaseEvent;

import java.time.Duration;
import java.util.Objects;

/**
 * What one rollout step must show before it may advance, and what makes it roll back.
 *
 * @param maxIncrease        the largest tolerated rise of the treatment's error rate over the control's, in
 *                           percentage points: 0.5 means the treatment may fail at most 0.5 pp more often
 * @param confidence         how sure the judge must be before it acts, for example 0.95
 * @param minRequestsPerStep treatment requests a step must see before it may advance
 * @param minStepDuration    the shortest time a step lasts, so slow-burning failures have time to show
 * @param maxStepDuration    the longest time a step waits for a conclusion before it is held for a person
 */
public record Policy(double maxIncrease, double confidence, long minRequestsPerStep, Duration minStepDuration,
                     Duration maxStepDuration) {

    public Policy {
        // A margin of 0 could never be shown to hold, and one of 100 pp could never be exceeded.
        if (!(maxIncrease > 0 && maxIncrease < 100)) {
            throw new IllegalArgumentException("maxIncrease must be between 0 and 100 percentage points, exclusive");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, exclusive");
        }
        if (minRequestsPerStep < 0) {
            throw new IllegalArgumentException("minRequestsPerStep must not be negative");
        }
        Objects.requireNonNull(minStepDuration, "minStepDuration");
        Objects.requireNonNull(maxStepDuration, "maxStepDuration");
        if (minStepDuration.isNegative()) {
            throw new IllegalArgumentException("minStepDuration must not be negative");
        }
        if (maxStepDuration.compareTo(minStepDuration) < 0) {
            throw new IllegalArgumentException("maxStepDuration must not be shorter than minStepDuration");
        }
    }

    public static Policy from(ReleaseEvent.Plan plan) {
        return new Policy(plan.guard().maxIncrease(), plan.guard().confidence(), plan.minRequestsPerStep(),
                plan.minStepDuration(), plan.maxStepDuration());
    }

    /** {@link #maxIncrease()} as a difference of proportions (0.5 pp is 0.005), the unit the statistics use. */
    public double maxIncreaseAsProportion() {
        return maxIncrease / 100;
    }

    /** The error probability the confidence bounds allow, over the whole step however often they are read. */
    public double alpha() {
        return 1 - confidence;
    }
}
