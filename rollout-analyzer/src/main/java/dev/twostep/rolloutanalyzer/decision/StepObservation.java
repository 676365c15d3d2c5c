package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the judge sees about one rollout step: the totals of both arms since the step began and the
 * time. The caller supplies {@code now}, so the decision core never reads a clock and stays repeatable.
 *
 * @param step                 the step's index in the plan
 * @param fromPercent          the audience before this step
 * @param toPercent            the audience during this step
 * @param stepStartedAt        when this step began
 * @param now                  the end of the data seen so far
 * @param control              requests and errors with the variant off since the step began
 * @param treatment            requests and errors with the variant on since the step began
 * @param previousStepsControl the control's totals pooled over the previous steps; the baseline of the
 *                             100 % step, which has no concurrent control
 */
public record StepObservation(int step, double fromPercent, double toPercent, Instant stepStartedAt, Instant now,
                              Counts control, Counts treatment, Counts previousStepsControl) {

    private static final Counts NOTHING = new Counts(0, 0);

    public StepObservation {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative");
        }
        if (!(fromPercent >= 0 && fromPercent <= 100 && toPercent >= 0 && toPercent <= 100)) {
            throw new IllegalArgumentException("percentages must be between 0 and 100");
        }
        Objects.requireNonNull(stepStartedAt, "stepStartedAt");
        Objects.requireNonNull(now, "now");
        if (now.isBefore(stepStartedAt)) {
            throw new IllegalArgumentException("now must not be before stepStartedAt");
        }
        requireConsistent(control, "control");
        requireConsistent(treatment, "treatment");
        requireConsistent(previousStepsControl, "previousStepsControl");
    }

    /** A step below 100 %, whose baseline is the control that runs alongside it. */
    public static StepObservation withConcurrentControl(int step, double fromPercent, double toPercent,
                                                        Instant stepStartedAt, Instant now, Counts control,
                                                        Counts treatment) {
        return new StepObservation(step, fromPercent, toPercent, stepStartedAt, now, control, treatment, NOTHING);
    }

    /** The 100 % step: nobody is left in the control, so the baseline is the control of the earlier steps. */
    public static StepObservation atFullRollout(int step, double fromPercent, Instant stepStartedAt, Instant now,
                                                Counts treatment, Counts previousStepsControl) {
        return new StepObservation(step, fromPercent, 100, stepStartedAt, now, NOTHING, treatment,
                previousStepsControl);
    }

    public boolean isFullRollout() {
        return toPercent >= 100;
    }

    /** The control the treatment is compared with. */
    public Counts baseline() {
        return isFullRollout() ? previousStepsControl : control;
    }

    public Duration elapsed() {
        return Duration.between(stepStartedAt, now);
    }

    private static void requireConsistent(Counts counts, String name) {
        Objects.requireNonNull(counts, name);
        if (counts.errors() > counts.requests()) {
            throw new IllegalArgumentException(name + " errors must not exceed requests");
        }
    }
}
