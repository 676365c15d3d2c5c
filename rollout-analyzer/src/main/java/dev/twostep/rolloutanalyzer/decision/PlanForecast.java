package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before a rollout starts: how long each step of its plan should take at the feature's current traffic, for the
 * slowest of its acting guards, and whether that fits in {@code maxStepDuration}. The same estimate as a hold's
 * ({@link StepForecast}), made from nothing but the traffic and each guard's base rate: a healthy step takes about
 * this long, and a plan whose steps cannot decide in time says so before it starts rather than an hour later.
 */
public final class PlanForecast {

    private PlanForecast() {
    }

    /**
     * @param seconds null when the step cannot decide at any duration (no traffic, or at 100 % a pooled control too
     *                small for the margin)
     */
    public record StepEstimate(int step, double percent, double treatmentRequestsPerSecond, long treatmentRequests,
                               Long seconds, boolean decidesInTime, String slowestGuard) {
    }

    /**
     * @param requestsPerSecond the feature's traffic in the environment, both variants together
     * @param baseRates         each guard's bad share in the control, by name; a guard without one is taken to fail
     *                          at its margin, which errs on the long side for rare failures
     */
    public static List<StepEstimate> of(RolloutPolicy policy, List<Double> steps, double requestsPerSecond,
                                        Map<String, Double> baseRates) {
        List<StepEstimate> estimates = new ArrayList<>();
        double pooledControlRequests = 0;
        Instant start = Instant.EPOCH;
        for (int i = 0; i < steps.size(); i++) {
            double percent = steps.get(i);
            double treatmentRate = requestsPerSecond * percent / 100;
            StepEstimate slowest = null;
            for (GuardRule guard : policy.guards()) {
                if (!guard.acting()) {
                    continue;
                }
                Policy own = policy.policyOf(guard);
                double baseRate = baseRates.getOrDefault(guard.name(), own.maxIncreaseAsProportion());
                double from = i == 0 ? 0 : steps.get(i - 1);
                // Below 100 % only the control's rate matters (its size follows the split); at 100 % its size too.
                long controlRequests = percent >= 100 ? Math.round(pooledControlRequests) : 1_000_000_000L;
                Counts control = new Counts(controlRequests, Math.round(controlRequests * baseRate));
                Counts none = new Counts(0, 0);
                StepObservation nothingYet = percent >= 100
                        ? StepObservation.atFullRollout(i + 1, from, start, start, none, control)
                        : StepObservation.withConcurrentControl(i + 1, from, percent, start, start, control, none);
                long requests = Math.max(StepForecast.requestsToDecide(own, nothingYet), own.minRequestsPerStep());
                Long seconds = treatmentRate > 0 && requests <= StepForecast.MOST_REQUESTS
                        ? Math.max((long) Math.ceil(requests / treatmentRate), own.minStepDuration().toSeconds())
                        : null;
                StepEstimate estimate = new StepEstimate(i + 1, percent, treatmentRate, requests, seconds,
                        seconds != null && Duration.ofSeconds(seconds).compareTo(policy.maxStepDuration()) <= 0,
                        guard.name());
                if (slowest == null || slower(estimate, slowest)) {
                    slowest = estimate;
                }
            }
            estimates.add(slowest);
            if (slowest.seconds() != null) {
                pooledControlRequests += requestsPerSecond * (100 - percent) / 100 * slowest.seconds();
            }
        }
        return estimates;
    }

    /** A step that cannot decide is slower than any that can. */
    private static boolean slower(StepEstimate a, StepEstimate b) {
        if (b.seconds() == null) {
            return false;
        }
        return a.seconds() == null || a.seconds() > b.seconds();
    }
}
