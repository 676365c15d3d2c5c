package dev.twostep.rolloutanalyzer.rollout;

import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.rolloutanalyzer.decision.Verdict;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A rollout as the analyzer follows it: the plan, the steps the release-controller has begun, and how far
 * the analyzer has decided. Pure: it turns a verdict into the one decision event a step may get.
 *
 * <p>Steps are numbered from 1: step N runs the audience at {@code plan.steps[N-1]}.
 *
 * @param stepsBegun      the steps begun so far, in any order
 * @param lastDecidedStep the highest step already decided, 0 before the first decision
 */
public record TrackedRollout(String rolloutId, String featureKey, String environment, Plan plan, boolean active,
                             List<StepBegun> stepsBegun, int lastDecidedStep) {

    public static final int PLAN_VERSION = 1;

    /** The release-controller widened the audience to {@code percent} at {@code at}. */
    public record StepBegun(double percent, Instant at) {
    }

    public TrackedRollout {
        stepsBegun = stepsBegun.stream().filter(step -> plan.steps().contains(step.percent()))
                .sorted(Comparator.comparingDouble(StepBegun::percent)).toList();
    }

    /** The step now running, or 0 while the first step has not been seen yet. */
    public int currentStep() {
        return stepsBegun.isEmpty() ? 0 : stepOf(stepsBegun.getLast());
    }

    /** The 1-based number of a begun step in the plan. */
    public int stepOf(StepBegun step) {
        return plan.steps().indexOf(step.percent()) + 1;
    }

    /** An active rollout whose running step has no decision yet; at most one decision is made per step. */
    public boolean awaitsDecision() {
        return active && currentStep() > lastDecidedStep;
    }

    public double currentPercent() {
        return plan.steps().get(currentStep() - 1);
    }

    /** The audience before the current step: the previous step's, or 0 for the first. */
    public double previousPercent() {
        int step = currentStep();
        return step <= 1 ? 0 : plan.steps().get(step - 2);
    }

    public Instant currentStepStartedAt() {
        return stepsBegun.getLast().at();
    }

    public Instant firstStepStartedAt() {
        return stepsBegun.getFirst().at();
    }

    public boolean atLastStep() {
        return currentStep() == plan.steps().size();
    }

    /** A decision's id says which step of which rollout it decides, so a second one for the step cannot exist. */
    public String decisionId() {
        return rolloutId + "/step-" + currentStep();
    }

    /** The decision event for a verdict on the current step, or empty while the judge keeps watching. */
    public Optional<RolloutDecisionEvent> decide(Verdict verdict) {
        if (!awaitsDecision()) {
            throw new IllegalStateException("rollout " + rolloutId + " awaits no decision");
        }
        int step = currentStep();
        double from = currentPercent();
        return Optional.ofNullable(switch (verdict) {
            case Verdict.Advance advance -> new RolloutAdvanceDecided(decisionId(), rolloutId, featureKey,
                    environment, step, from, atLastStep() ? from : plan.steps().get(step), PLAN_VERSION,
                    advance.evidence());
            case Verdict.Rollback rollback -> new RolloutRollbackDecided(decisionId(), rolloutId, featureKey,
                    environment, step, from, 0, PLAN_VERSION, rollback.evidence());
            case Verdict.Hold hold -> new RolloutHoldDecided(decisionId(), rolloutId, featureKey, environment,
                    step, from, from, PLAN_VERSION, hold.evidence());
            case Verdict.KeepWatching ignored -> null;
        });
    }
}
