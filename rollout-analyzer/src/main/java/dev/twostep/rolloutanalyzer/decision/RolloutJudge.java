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
 * <p>The statistic is an always-valid confidence interval for {@code d = pT − pC} (see
 * {@link DifferenceInterval}), recomputed after every sample batch. With {@code m} the guard's
 * {@code maxIncrease} as a proportion:
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
 * <p><b>Mixture variance τ² = m².</b> For fixed data the bounds are tightest when {@code τ²/V ≈ 8} (the
 * minimum over {@code r = τ²/V} of {@code (1 + 1/r)·(ln(1 + r) − 2·ln α)} lies at {@code r ≈ 8.2} for
 * α = 0.05). Both decisions that matter are taken where the half-width is about {@code m}: advancing a
 * healthy treatment ({@code d ≈ 0}) needs {@code d̂ + h < m}, and rolling back a regression twice the guard
 * ({@code d ≈ 2m}) needs {@code d̂ − h > m}. There {@code V ≈ m²/9.2}, so the best τ² is about
 * {@code 0.89·m²}; {@code τ² = m²} gives bounds less than 0.1 % wider, whatever the base error rate, and
 * follows the guard when a plan changes it. For the default guard of 0.5 pp, τ² = 2.5·10⁻⁵. Simulated at a
 * 1 % base rate with the step at 1 %, a 1 pp increase is caught after a median of about 6,500 treatment
 * requests; τ² of 0.25·m² or 4·m² needed about 7,600 and 6,800 (see bench/rollout-simulation/README.md).
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
        DifferenceInterval interval = DifferenceInterval.of(baseline, treatment, tauSquared, policy.alpha());
        double limit = policy.maxIncreaseAsProportion();
        Duration elapsed = observation.elapsed();
        Report report = new Report(policy, observation, interval, tauSquared);

        if (interval.lower() > limit) {
            return new Verdict.Rollback(report.evidence(interval.lower(), report.arms() + ", "
                    + signedPercentagePoints(interval.estimate()) + ", lower bound "
                    + signedPercentagePoints(interval.lower()) + " > " + report.threshold() + " at "
                    + report.confidence()));
        }
        boolean enoughRequests = treatment.requests() >= policy.minRequestsPerStep();
        boolean longEnough = elapsed.compareTo(policy.minStepDuration()) >= 0;
        boolean withinGuard = interval.upper() < limit;
        if (enoughRequests && longEnough && withinGuard) {
            return new Verdict.Advance(report.evidence(interval.upper(), report.arms() + ", "
                    + signedPercentagePoints(interval.estimate()) + ", upper bound "
                    + signedPercentagePoints(interval.upper()) + " < " + report.threshold() + " at "
                    + report.confidence()));
        }
        if (elapsed.compareTo(policy.maxStepDuration()) >= 0) {
            Reason reason = enoughRequests ? Reason.INCONCLUSIVE : Reason.TOO_FEW_TREATMENT_REQUESTS;
            String why = enoughRequests
                    ? "inconclusive, the bounds include " + report.threshold()
                    : "too few treatment requests (" + count(treatment.requests()) + " of "
                    + count(policy.minRequestsPerStep()) + " needed)";
            return new Verdict.Hold(reason, report.evidence(interval.upper(),
                    "held after " + duration(elapsed) + ": " + why + "; " + report.arms() + ", " + report.bounds()));
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
        return new Verdict.KeepWatching(report.evidence(interval.upper(), "watching for " + duration(elapsed) + ": "
                + report.arms() + ", " + report.bounds() + "; waiting for " + String.join(", ", waitingFor)));
    }

    /** The mixing variance; the class comment explains why it is the guard's margin squared. */
    public static double tauSquared(Policy policy) {
        double margin = policy.maxIncreaseAsProportion();
        return margin * margin;
    }

    /** The parts every verdict's evidence shares. */
    private record Report(Policy policy, StepObservation observation, DifferenceInterval interval,
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
                    "always-valid mSPRT confidence sequence on pT-pC (normal mixture, tau2=%.3g)", tauSquared);
        }

        /** For example {@code treatment 2.1% of 12,034 vs control 1.0% of 98,011}. */
        String arms() {
            String controlName = observation.isFullRollout() ? "pooled control" : "control";
            return "treatment " + arm(observation.treatment()) + " vs " + controlName + " "
                    + arm(observation.baseline());
        }

        /** For example {@code +0.11pp, 95% bounds -0.21pp..+0.43pp}, or a note while an arm is still empty. */
        String bounds() {
            if (observation.treatment().requests() == 0 || observation.baseline().requests() == 0) {
                return "no difference measurable yet";
            }
            return signedPercentagePoints(interval.estimate()) + ", " + confidence() + " bounds "
                    + signedPercentagePoints(interval.lower()) + ".." + signedPercentagePoints(interval.upper());
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
            return EvidenceText.rate(DifferenceInterval.rate(counts)) + " of " + count(counts.requests());
        }
    }
}
