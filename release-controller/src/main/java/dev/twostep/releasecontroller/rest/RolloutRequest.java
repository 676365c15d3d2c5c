package dev.twostep.releasecontroller.rest;

import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A progressive plan: strictly increasing percentages in (0, 100], how long and how many requests
 * each step needs before it is judged, and the guard it must pass.
 */
public record RolloutRequest(
        @NotNull(message = "is required") @Size(min = 1, max = 20) List<@NotNull BigDecimal> steps,
        @NotNull(message = "is required") @Min(1) Long minRequestsPerStep,
        @NotNull(message = "is required: an ISO-8601 duration, for example PT5M") Duration minStepDuration,
        @NotNull(message = "is required: an ISO-8601 duration, for example PT1H") Duration maxStepDuration,
        @NotNull(message = "is required") @Valid GuardRequest guard) {

    /** Percentage points of error rate the treatment may add over the control, at this confidence. */
    public record GuardRequest(
            @NotNull(message = "is required") @Pattern(regexp = "errorRate", message = "must be errorRate")
            String metric,
            @NotNull(message = "is required") @DecimalMin(value = "0", inclusive = false) @DecimalMax("100")
            BigDecimal maxIncrease,
            @NotNull(message = "is required") @DecimalMin(value = "0", inclusive = false)
            @DecimalMax(value = "1", inclusive = false) BigDecimal confidence) {
    }

    Plan toPlan() {
        List<Double> percentages = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String field = "steps[" + i + "]";
            double step = Percentages.check(field, steps.get(i));
            if (step <= 0 || step > 100) {
                throw ProblemException.invalid(field, "must be in (0, 100]");
            }
            if (!percentages.isEmpty() && step <= percentages.getLast()) {
                throw ProblemException.invalid(field, "must be greater than the step before it");
            }
            percentages.add(step);
        }
        if (minStepDuration.isNegative() || minStepDuration.isZero()) {
            throw ProblemException.invalid("minStepDuration", "must be positive");
        }
        if (maxStepDuration.compareTo(minStepDuration) < 0) {
            throw ProblemException.invalid("maxStepDuration", "must not be shorter than minStepDuration");
        }
        return new Plan(List.copyOf(percentages), minRequestsPerStep, minStepDuration, maxStepDuration,
                new Guard(guard.metric(), guard.maxIncrease().doubleValue(), guard.confidence().doubleValue()));
    }
}
