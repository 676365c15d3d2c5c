package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.rolloutanalyzer.decision.Verdict.Hold.Reason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.twostep.rolloutanalyzer.decision.EvidenceText.count;
import static dev.twostep.rolloutanalyzer.decision.EvidenceText.duration;
import static dev.twostep.rolloutanalyzer.decision.EvidenceText.percent;
import static dev.twostep.rolloutanalyzer.decision.EvidenceText.percentagePoints;
import static dev.twostep.rolloutanalyzer.decision.EvidenceText.signedPercentagePoints;

/**
 * Decides one rollout step from its totals: advance, hold, roll back or keep watching. A pure function of
 * its arguments: no clock, no I/O, no state; the same policy and observation always give the same verdict.
 *
 * <p>The statistic is a pair of always-valid one-sided bounds for {@code d = pT − pC} (see
 * {@link GuardBounds}), recomputed after every sample batch. With {@code m} the guard's {@code maxIncrease}
 * as a proportion:
 * <ol>
 *   <li>Roll back when the lower bound exceeds {@code m}. Checked first, before any minimum: a step that is
 *       already shown to be harmful is never kept running for the sake of its minimum duration.</li>
 *   <li>Advance when the upper bound is below {@code m}, the step has seen {@code minRequestsPerStep}
 *       treatment requests and has lasted {@code minStepDuration}.</li>
 *   <li>Hold once {@code maxStepDuration} has passed without either, saying why, so that a rollout without
 *       enough traffic stops visibly instead of stalling in silence.</li>
 *   <li>Otherwise keep watching.</li>
 * </ol>
 *
 * <p><b>Mixture variance τ² = m².</b> For fixed data a bound is tightest when {@code r = τ²/V} minimises
 * {@code (1 + 1/r)·(ln(1 + r) − 2·ln 2α)}, at {@code r ≈ 6.6} for α = 0.05. Both decisions are taken where
 * the half-width is about {@code m}: advancing a healthy treatment ({@code d ≈ 0}) needs {@code d̂ + h < m},
 * and rolling back a regression twice the guard ({@code d ≈ 2m}) needs {@code d̂ − h > m}. There
 * {@code V ≈ m²/7.6}, so the best τ² is about {@code 0.86·m²}; {@code τ² = m²} gives bounds less than 0.1 %
 * wider, whatever the base error rate, and follows the guard when a plan changes it. For the default guard
 * of 0.5 pp, τ² = 2.5·10⁻⁵. bench/rollout-simulation measures the choice against 0.25·m² to 4·m².
 *
 * <p>The 100 % step has no concurrent control, so it compares the treatment with the control pooled over the
 * previous steps and says so in the evidence. That baseline is older than the treatment data; a change in
 * the traffic between the steps shows up as a difference too.
 */
public final class RolloutJudge {

    private static final String CONCURRENT_BASELINE =
            "concurrent control: requests with the variant off during this step";
    private static final String POOLED_BASELINE =
            "pooled control: requests with the variant off during the previous steps (no concurrent control at 100%)";

    private RolloutJudge() {
    }

    public static Verdict judge(Policy policy, StepObservation observation) {
        double tauSquared = tauSquared(policy);
        Counts baseline = observation.baseline();
        Counts treatment = observation.treatment();
        double limit = policy.maxIncreaseAsProportion();
        GuardBounds bounds = GuardBounds.of(baseline, treatment, limit, tauSquared, policy.alpha());
        Duration elapsed = observation.elapsed();
        Report report = new Report(policy, observation, bounds, tauSquared);

        if (bounds.lower() > limit) {
            return new Verdict.Rollback(report.evidence(bounds.lower(), report.arms() + ", "
                    + signedPercentagePoints(bounds.estimate()) + ", lower bound "
                    + signedPercentagePoints(bounds.lower()) + " > " + report.threshold() + " at "
                    + report.confidence()));
        }
        boolean enoughRequests = treatment.requests() >= policy.minRequestsPerStep();
        boolean longEnough = elapsed.compareTo(policy.minStepDuration()) >= 0;
        boolean withinGuard = bounds.upper() < limit;
        if (enoughRequests && longEnough && withinGuard) {
            return new Verdict.Advance(report.evidence(bounds.upper(), report.arms() + ", "
                    + signedPercentagePoints(bounds.estimate()) + ", upper bound "
                    + signedPercentagePoints(bounds.upper()) + " < " + report.threshold() + " at "
                    + report.confidence()));
        }
        if (elapsed.compareTo(policy.maxStepDuration()) >= 0) {
            Reason reason = enoughRequests ? Reason.INCONCLUSIVE : Reason.TOO_FEW_TREATMENT_REQUESTS;
            String why = enoughRequests
                    ? "inconclusive, the bounds include " + report.threshold()
                    : "too few treatment requests (" + count(treatment.requests()) + " of "
                    + count(policy.minRequestsPerStep()) + " needed)";
            return new Verdict.Hold(reason, report.evidence(bounds.upper(),
                    "held after " + duration(elapsed) + ": " + why + "; " + report.arms() + ", " + report.boundsText()));
        }
        List<String> waitingFor = new ArrayList<>();
        if (!enoughRequests) {
            waitingFor.add(count(policy.minRequestsPerStep()) + " treatment requests");
        }
        if (!longEnough) {
            waitingFor.add(duration(policy.minStepDuration()) + " in step");
        }
        if (!withinGuard) {
            waitingFor.add("upper bound below " + report.threshold());
        }
        return new Verdict.KeepWatching(report.evidence(bounds.upper(), "watching for " + duration(elapsed) + ": "
                + report.arms() + ", " + report.boundsText() + "; waiting for " + String.join(", ", waitingFor)));
    }

    /** The mixing variance; the class comment explains why it is the guard's margin squared. */
    public static double tauSquared(Policy policy) {
        double margin = policy.maxIncreaseAsProportion();
        return margin * margin;
    }

    /** The parts every verdict's evidence shares. */
    private record Report(Policy policy, StepObservation observation, GuardBounds bounds,
                          double tauSquared) {

        /**
         * @param statistic the bound that decides: the lower bound for a rollback, otherwise the upper bound
         *                  that must fall below the threshold for the step to advance; in percentage points
         */
        Evidence evidence(double statistic, String summary) {
            return new Evidence(new Window(observation.stepStartedAt(), observation.now()), observation.baseline(),
                    observation.treatment(), method(), statistic * 100, policy.maxIncrease(),
                    observation.isFullRollout() ? POOLED_BASELINE : CONCURRENT_BASELINE, summary);
        }

        String method() {
            return String.format(Locale.ROOT,
                    "always-valid one-sided mSPRT of pT-pC against maxIncrease (half-normal mixture, tau2=%.3g, "
                            + "variance at pT = pC + maxIncrease, plus 0.5/n per arm)", tauSquared);
        }

        /** For example {@code treatment 2.1% of 12,034 vs control 1.0% of 98,011}. */
        String arms() {
            String controlName = observation.isFullRollout() ? "pooled control" : "control";
            return "treatment " + arm(observation.treatment()) + " vs " + controlName + " "
                    + arm(observation.baseline());
        }

        /** For example {@code +0.11pp, 95% one-sided bounds -0.21pp..+0.43pp}, or a note while an arm is still empty. */
        String boundsText() {
            if (observation.treatment().requests() == 0 || observation.baseline().requests() == 0) {
                return "no difference measurable yet";
            }
            return signedPercentagePoints(bounds.estimate()) + ", " + confidence() + " one-sided bounds "
                    + signedPercentagePoints(bounds.lower()) + ".." + signedPercentagePoints(bounds.upper());
        }

        String threshold() {
            return percentagePoints(policy.maxIncrease());
        }

        String confidence() {
            return percent(policy.confidence());
        }

        private static String arm(Counts counts) {
            if (counts.requests() == 0) {
                return "0 requests";
            }
            return EvidenceText.rate(GuardBounds.rate(counts)) + " of " + count(counts.requests());
        }
    }
}
