package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.ReleaseEvent;

import java.util.Objects;

/**
 * One guard of a rollout as the judge sees it. Every kind reduces to a share of bad requests, so one statistic
 * judges them all: {@code errorRate} counts errors, {@code latency} requests slower than the guard's threshold
 * (total minus the histogram bucket {@code le} at the threshold), {@code ratio} total minus good.
 *
 * @param name        the guard's name in its plan; samples and decisions refer to it
 * @param metric      {@code errorRate}, {@code latency} or {@code ratio}
 * @param maxIncrease the largest tolerated rise of the treatment's bad share over the control's, in percentage points
 * @param confidence  the confidence the guard asks for on its own; the family splits its α (see {@link RolloutPolicy})
 * @param acting      false for a dry-run guard: judged and recorded, never deciding
 */
public record GuardRule(String name, String metric, double maxIncrease, double confidence, boolean acting) {

    public GuardRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        if (!(maxIncrease > 0 && maxIncrease < 100)) {
            throw new IllegalArgumentException("maxIncrease must be between 0 and 100 percentage points, exclusive");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, exclusive");
        }
    }

    public static GuardRule from(ReleaseEvent.Guard guard) {
        return new GuardRule(guard.nameOrMetric(), guard.metric(), guard.maxIncrease(), guard.confidence(),
                guard.acting());
    }

    public GuardRule actingNow() {
        return new GuardRule(name, metric, maxIncrease, confidence, true);
    }
}
