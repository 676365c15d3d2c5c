package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Forecast;

import java.time.Duration;
import java.util.Optional;

/**
 * How many more treatment requests a step needs before its guard can decide either way, and how long that takes
 * at the traffic seen so far.
 *
 * <p>"Either way, for an effect of the guard's size" means: the bounds' half-width {@code h} has fallen to the
 * margin {@code m}. A healthy treatment ({@code d = 0}) then advances once its estimate is at or below its mean
 * ({@code d̂ + h < m}), and a regression of twice the margin rolls back likewise ({@code d̂ − h > m}); so the
 * forecast is the median of the time to a decision in both cases, not a bound on it. {@code h} depends on the
 * counts only through the variance at the margin, which falls as requests grow, so the smallest sufficient
 * number of treatment requests is found by bisection. The control keeps the share of traffic it has had in this
 * step (at 100 % the pooled control does not grow), and its error rate is the one observed; with no control
 * data yet the rate is taken to be the margin, which errs on the long side for rare errors.
 */
public final class StepForecast {

    /** Beyond this a step is not going to decide; the forecast says "cannot" rather than print a silly number. */
    static final long MOST_REQUESTS = 1_000_000_000_000L;

    private StepForecast() {
    }

    /**
     * @return empty when no number of treatment requests would do, which happens only at 100 % with a pooled
     * control too small for the margin
     */
    public static Optional<Forecast> of(Policy policy, StepObservation observation) {
        Counts treatment = observation.treatment();
        long needed = Math.max(requestsToDecide(policy, observation), policy.minRequestsPerStep());
        if (needed > MOST_REQUESTS) {
            return Optional.empty();
        }
        long more = Math.max(0, needed - treatment.requests());
        double seconds = observation.elapsed().toMillis() / 1000.0;
        double rate = seconds > 0 ? treatment.requests() / seconds : 0;
        Duration untilMinimum = policy.minStepDuration().minus(observation.elapsed());
        Long time = rate > 0 ? Math.max((long) Math.ceil(more / rate), Math.max(0, untilMinimum.toSeconds())) : null;
        return Optional.of(new Forecast(more, rate, time));
    }

    /** The smallest treatment count at which the half-width is at most the margin, or more than {@link #MOST_REQUESTS}. */
    static long requestsToDecide(Policy policy, StepObservation observation) {
        long low = 1;
        long high = MOST_REQUESTS + 1;
        if (!decidable(policy, observation, high)) {
            return high;
        }
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (decidable(policy, observation, middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private static boolean decidable(Policy policy, StepObservation observation, long treatmentRequests) {
        double margin = policy.maxIncreaseAsProportion();
        Counts baseline = observation.baseline();
        double controlRate = baseline.requests() > 0 ? (baseline.errors() + 0.5) / (baseline.requests() + 1) : margin;
        long controlRequests = controlRequests(observation, treatmentRequests);
        if (controlRequests <= 0) {
            return false;
        }
        double treatmentRate = Math.min(1, controlRate + margin);
        double variance = treatmentRate * (1 - treatmentRate) / treatmentRequests
                + controlRate * (1 - controlRate) / controlRequests;
        double halfWidth = GuardBounds.halfWidth(variance, RolloutJudge.tauSquared(policy), policy.alpha())
                + 0.5 / treatmentRequests + 0.5 / controlRequests;
        return halfWidth <= margin;
    }

    /** The control that comes with so many treatment requests: its observed share, or the audience split. */
    private static long controlRequests(StepObservation observation, long treatmentRequests) {
        if (observation.isFullRollout()) {
            return observation.baseline().requests();
        }
        Counts control = observation.control();
        Counts treatment = observation.treatment();
        double perTreatment = control.requests() > 0 && treatment.requests() > 0
                ? (double) control.requests() / treatment.requests()
                : (100 - observation.toPercent()) / observation.toPercent();
        return (long) Math.min(Long.MAX_VALUE / 2.0, Math.ceil(treatmentRequests * perTreatment));
    }
}
