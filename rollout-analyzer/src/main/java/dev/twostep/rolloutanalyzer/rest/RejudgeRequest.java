package dev.twostep.rolloutanalyzer.rest;

import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.rolloutanalyzer.decision.Policy;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;

/** Another policy to replay a rollout under. Every field left out keeps the rollout's own plan. */
public record RejudgeRequest(@NotNull @Valid PolicyChange policy) {

    public record PolicyChange(
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "100", inclusive = false) Double maxIncrease,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double confidence,
            @PositiveOrZero Long minRequestsPerStep,
            Duration minStepDuration,
            Duration maxStepDuration) {
    }

    Policy applyTo(Plan plan) {
        Policy own = Policy.from(plan);
        PolicyChange change = policy;
        Duration min = change.minStepDuration() != null ? change.minStepDuration() : own.minStepDuration();
        Duration max = change.maxStepDuration() != null ? change.maxStepDuration() : own.maxStepDuration();
        if (min.isNegative()) {
            throw ProblemException.invalid("policy.minStepDuration", "must not be negative");
        }
        if (max.compareTo(min) < 0) {
            throw ProblemException.invalid("policy.maxStepDuration", "must not be shorter than minStepDuration");
        }
        return new Policy(change.maxIncrease() != null ? change.maxIncrease() : own.maxIncrease(),
                change.confidence() != null ? change.confidence() : own.confidence(),
                change.minRequestsPerStep() != null ? change.minRequestsPerStep() : own.minRequestsPerStep(),
                min, max);
    }
}
