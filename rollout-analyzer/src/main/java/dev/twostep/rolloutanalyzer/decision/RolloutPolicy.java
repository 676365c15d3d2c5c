package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.ReleaseEvent;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A rollout's guards and the step minimums they share.
 *
 * <p><b>The family's error rate: a Bonferroni split.</b> A step rolls back when any acting guard's lower bound
 * crosses its threshold, so a healthy treatment may be rolled back by any of them. Each acting guard is judged
 * at {@code α/k}, with {@code k} the number of acting guards and {@code α = 1 − confidence} its own, so the
 * chance that at least one of them ever rolls back a healthy step is at most the sum, {@code α}, whatever the
 * guards' correlation (latency and errors of the same requests are correlated; a bound that relied on
 * independence would not hold). The same split keeps the advance side valid: a step advances only when every
 * acting guard's upper bound is below its threshold, so a treatment beyond one guard advances only if that
 * guard's upper bound errs, at most {@code α/k ≤ α}. Bonferroni is conservative for correlated guards; the
 * price at two guards is 24 % more treatment requests to a rollback at the median and 12 % at the 95th percentile
 * (bench/rollout-simulation, {@code GuardFamilies}), small beside what a weaker argument would risk. A dry-run guard is judged at the split it would get if it acted,
 * {@code α/(k+1)}, so its recorded verdict is the one it would have contributed.
 *
 * @param guards every guard, in plan order; at least one acting
 */
public record RolloutPolicy(List<GuardRule> guards, long minRequestsPerStep, Duration minStepDuration,
                            Duration maxStepDuration) {

    public RolloutPolicy {
        guards = List.copyOf(guards);
        if (guards.stream().noneMatch(GuardRule::acting)) {
            throw new IllegalArgumentException("at least one guard must act");
        }
        Set<String> names = new HashSet<>();
        for (GuardRule guard : guards) {
            if (!names.add(guard.name())) {
                throw new IllegalArgumentException("guard names must be unique: " + guard.name());
            }
        }
        Objects.requireNonNull(minStepDuration, "minStepDuration");
        Objects.requireNonNull(maxStepDuration, "maxStepDuration");
        // The per-guard Policy checks the durations and minimum again; build one to fail here, at the edge.
        new Policy(guards.getFirst().maxIncrease(), guards.getFirst().confidence(), minRequestsPerStep,
                minStepDuration, maxStepDuration);
    }

    public static RolloutPolicy from(ReleaseEvent.Plan plan) {
        return new RolloutPolicy(plan.allGuards().stream().map(GuardRule::from).toList(), plan.minRequestsPerStep(),
                plan.minStepDuration(), plan.maxStepDuration());
    }

    /** A rollout's one guard under a single-guard policy, as rollouts were judged before guards had kinds. */
    public static RolloutPolicy of(Policy policy) {
        return new RolloutPolicy(List.of(new GuardRule("errorRate", "errorRate", policy.maxIncrease(),
                policy.confidence(), true)), policy.minRequestsPerStep(), policy.minStepDuration(),
                policy.maxStepDuration());
    }

    /** The same policy with these dry-run guards acting, for a replay that asks "what if it had acted?". */
    public RolloutPolicy withActing(Set<String> names) {
        return new RolloutPolicy(guards.stream().map(guard -> names.contains(guard.name()) ? guard.actingNow() : guard)
                .toList(), minRequestsPerStep, minStepDuration, maxStepDuration);
    }

    public long actingGuards() {
        return guards.stream().filter(GuardRule::acting).count();
    }

    /** The guard's share of the family's error probability; the class comment says why it is split this way. */
    public double alphaOf(GuardRule guard) {
        long ways = actingGuards() + (guard.acting() ? 0 : 1);
        return (1 - guard.confidence()) / ways;
    }

    /** The single-guard policy that judges this guard: its margin, its share of α, the step's minimums. */
    public Policy policyOf(GuardRule guard) {
        return new Policy(guard.maxIncrease(), 1 - alphaOf(guard), minRequestsPerStep, minStepDuration,
                maxStepDuration);
    }
}
