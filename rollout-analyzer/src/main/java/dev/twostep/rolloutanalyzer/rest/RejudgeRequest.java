package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.problems.ProblemException;
import dev.twostep.rolloutanalyzer.decision.GuardRule;
import dev.twostep.rolloutanalyzer.decision.RolloutPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Another policy to replay a rollout under. Every field left out keeps the rollout's own plan. {@code maxIncrease}
 * and {@code confidence} change the plan's first guard; {@code acting} names dry-run guards that act in the replay
 * ("would this guard have rolled back, and when?").
 */
public record RejudgeRequest(@NotNull @Valid PolicyChange policy) {

    public record PolicyChange(
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "100", inclusive = false) Double maxIncrease,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double confidence,
            @PositiveOrZero Long minRequestsPerStep,
            Duration minStepDuration,
            Duration maxStepDuration,
            @Size(max = 20) List<@NotNull String> acting) {
    }

    RolloutPolicy applyTo(Plan plan) {
        RolloutPolicy own = RolloutPolicy.from(plan);
        PolicyChange change = policy;
        Duration min = change.minStepDuration() != null ? change.minStepDuration() : own.minStepDuration();
        Duration max = change.maxStepDuration() != null ? change.maxStepDuration() : own.maxStepDuration();
        if (min.isNegative()) {
            throw ProblemException.invalid("policy.minStepDuration", "must not be negative");
        }
        if (max.compareTo(min) < 0) {
            throw ProblemException.invalid("policy.maxStepDuration", "must not be shorter than minStepDuration");
        }
        List<GuardRule> guards = new ArrayList<>(own.guards());
        GuardRule first = guards.getFirst();
        guards.set(0, new GuardRule(first.name(), first.metric(),
                change.maxIncrease() != null ? change.maxIncrease() : first.maxIncrease(),
                change.confidence() != null ? change.confidence() : first.confidence(), first.acting()));
        Set<String> acting = new HashSet<>();
        List<String> named = change.acting() != null ? change.acting() : List.of();
        for (int i = 0; i < named.size(); i++) {
            String name = named.get(i);
            if (guards.stream().noneMatch(guard -> guard.name().equals(name))) {
                throw ProblemException.invalid("policy.acting[" + i + "]", "names no guard of this rollout: " + name);
            }
            acting.add(name);
        }
        return new RolloutPolicy(guards, change.minRequestsPerStep() != null ? change.minRequestsPerStep()
                : own.minRequestsPerStep(), min, max).withActing(acting);
    }
}
