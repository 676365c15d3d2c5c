package dev.twostep.releasecontroller.rest;

import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.MetricSource;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A progressive plan: strictly increasing percentages in (0, 100], how long and how many requests
 * each step needs before it is judged, and the guard it must pass. {@code treatment} names the variant whose
 * share a rollout of a flag definition moves against the default; an audience's rollout leaves it out.
 */
public record RolloutRequest(
        @NotNull(message = "is required") @Size(min = 1, max = 20) List<@NotNull BigDecimal> steps,
        @NotNull(message = "is required") @Min(1) Long minRequestsPerStep,
        @NotNull(message = "is required: an ISO-8601 duration, for example PT5M") Duration minStepDuration,
        @Size(max = 9) List<@NotNull @Valid GuardRequest> additionalGuards,
        @NotNull(message = "is required: an ISO-8601 duration, for example PT1H") Duration maxStepDuration,
        @NotNull(message = "is required") @Valid GuardRequest guard,
        @Size(min = 1, max = 128, message = "must name a variant: 1 to 128 characters") String treatment) {

    /**
     * Percentage points of bad requests the treatment may add over the control, at this confidence: errors for
     * {@code errorRate}, requests slower than a threshold for {@code latency}, total minus good for {@code ratio}.
     * {@code guard} is the first guard; {@code additionalGuards} are judged alongside it, the family's α split
     * between the acting ones. {@code dryRun} guards are judged and recorded, never act. {@code source} absent
     * means pushed samples; a Prometheus source is checked by the analyzer before the rollout starts.
     */
    public record GuardRequest(
            @NotNull(message = "is required") @Pattern(regexp = "errorRate|latency|ratio",
                    message = "must be errorRate, latency or ratio")
            String metric,
            @NotNull(message = "is required") @DecimalMin(value = "0", inclusive = false) @DecimalMax("100")
            BigDecimal maxIncrease,
            @NotNull(message = "is required") @DecimalMin(value = "0", inclusive = false)
            @DecimalMax(value = "1", inclusive = false) BigDecimal confidence,
            @Pattern(regexp = "[A-Za-z][A-Za-z0-9_.-]{0,62}", message = "must be a letter, then up to 62 letters, "
                    + "digits, '_', '.' or '-'") String name,
            Boolean dryRun,
            @Valid SourceRequest source) {

        Guard toGuard() {
            return new Guard(metric, maxIncrease.doubleValue(), confidence.doubleValue(), name, dryRun,
                    source == null ? null : new MetricSource(source.type(), source.url(), source.application(),
                            source.total(), source.good(), source.bad()));
        }
    }

    /** Where a guard's counts come from: {@code push} (samples, the default) or {@code prometheus} (PromQL templates). */
    public record SourceRequest(
            @NotNull(message = "is required") @Pattern(regexp = "push|prometheus", message = "must be push or prometheus")
            String type,
            @Size(max = 2_000) @Pattern(regexp = "https?://\\S+", message = "must be an http or https URL") String url,
            @Size(max = 200) String application,
            @Size(max = 4_000) String total,
            @Size(max = 4_000) String good,
            @Size(max = 4_000) String bad) {
    }

    /** Every guard, the first one first, with the field a refusal names. */
    List<Guard> guards() {
        List<Guard> all = new ArrayList<>();
        all.add(guard.toGuard());
        List<GuardRequest> more = additionalGuards != null ? additionalGuards : List.of();
        Set<String> names = new HashSet<>(Set.of(all.getFirst().nameOrMetric()));
        for (int i = 0; i < more.size(); i++) {
            Guard next = more.get(i).toGuard();
            if (!names.add(next.nameOrMetric())) {
                throw ProblemException.invalid("additionalGuards[" + i + "].name", "must differ from every other "
                        + "guard's name (a guard without one is called by its metric): " + next.nameOrMetric());
            }
            all.add(next);
        }
        for (int i = 0; i < all.size(); i++) {
            Guard one = all.get(i);
            String field = i == 0 ? "guard" : "additionalGuards[" + (i - 1) + "]";
            if (one.source() != null && "prometheus".equals(one.source().type())
                    && (one.source().total() == null || (one.source().good() == null) == (one.source().bad() == null))) {
                throw ProblemException.invalid(field + ".source", "a Prometheus source needs total and exactly one "
                        + "of good and bad");
            }
        }
        if (all.stream().noneMatch(Guard::acting)) {
            throw ProblemException.invalid("guard.dryRun", "at least one guard must act");
        }
        return all;
    }

    /** The field of the request that the analyzer's {@code plan.guards[i]...} or {@code plan.guard...} names. */
    static String requestField(String planField) {
        Matcher indexed = java.util.regex.Pattern.compile("plan\\.guards\\[(\\d+)](.*)").matcher(planField);
        if (indexed.matches()) {
            int index = Integer.parseInt(indexed.group(1));
            return (index == 0 ? "guard" : "additionalGuards[" + (index - 1) + "]") + indexed.group(2);
        }
        return planField.startsWith("plan.guard") ? "guard" + planField.substring("plan.guard".length())
                : planField.replaceFirst("^plan\\.", "");
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
        List<Guard> guards = guards();
        return new Plan(List.copyOf(percentages), minRequestsPerStep, minStepDuration, maxStepDuration,
                guards.getFirst(), guards.size() > 1 || guards.getFirst().name() != null
                || guards.getFirst().source() != null || !guards.getFirst().acting() ? guards : null);
    }
}
