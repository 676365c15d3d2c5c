package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;

/**
 * An always-valid confidence interval for the difference of two error rates, {@code d = pT − pC}.
 *
 * <p>The bounds are one point of a confidence sequence: the chance that {@code d} ever leaves them, over
 * all the times they are computed during a step, is at most {@code alpha}. So the analyzer may look after
 * every sample batch and stop the moment a bound crosses the threshold; a fixed-sample interval read that
 * often would produce false alarms far above {@code alpha}. The form is the normal-mixture sequential
 * probability ratio test of Johari, Pekelis and Walsh, "Always valid inference: continuous monitoring of
 * A/B tests" (Operations Research, 2022), which Optimizely's Stats Engine uses. With
 * {@code d̂ = p̂T − p̂C} and the variance of that estimate {@code V}, the half-width is
 *
 * <pre>  sqrt( V·(V+τ²)/τ² · ( ln((V+τ²)/V) − 2·ln α ) )</pre>
 *
 * <p>{@code τ²} is the variance of the normal mixing distribution over effect sizes. It trades early
 * detection of large effects against tight bounds for effects near the threshold; {@link RolloutJudge}
 * explains its choice. Estimates use the raw rates. The variance uses {@code (errors + 0.5) / (requests + 1)}
 * for each rate, so an arm with no errors yet still counts as uncertain instead of perfectly known.
 *
 * @param estimate the observed difference {@code p̂T − p̂C}, as a proportion
 * @param lower    the lower bound, never below −1
 * @param upper    the upper bound, never above 1
 */
public record DifferenceInterval(double estimate, double lower, double upper) {

    /** A difference of two proportions lies in [−1, 1] whatever the data, so that is what is known without data. */
    private static final DifferenceInterval UNKNOWN = new DifferenceInterval(0, -1, 1);

    public static DifferenceInterval of(Counts control, Counts treatment, double tauSquared, double alpha) {
        if (control.requests() == 0 || treatment.requests() == 0) {
            return UNKNOWN;
        }
        double estimate = rate(treatment) - rate(control);
        double halfWidth = halfWidth(variance(control, treatment), tauSquared, alpha);
        return new DifferenceInterval(estimate, Math.max(-1, estimate - halfWidth), Math.min(1, estimate + halfWidth));
    }

    /**
     * The half-width of the mixture-SPRT bounds. {@link StrictMath} gives bit-identical results on every
     * JVM and platform, so a decision can be recomputed from its evidence anywhere.
     */
    public static double halfWidth(double variance, double tauSquared, double alpha) {
        if (!(variance > 0 && tauSquared > 0 && alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("variance and tauSquared must be positive, alpha in (0, 1)");
        }
        double spread = variance + tauSquared;
        return StrictMath.sqrt(variance * spread / tauSquared
                * (StrictMath.log(spread / variance) - 2 * StrictMath.log(alpha)));
    }

    /** The variance of {@code p̂T − p̂C} for two independent arms, with the smoothed rates described above. */
    public static double variance(Counts control, Counts treatment) {
        return bernoulliVariance(treatment) / treatment.requests() + bernoulliVariance(control) / control.requests();
    }

    public static double rate(Counts counts) {
        return (double) counts.errors() / counts.requests();
    }

    private static double bernoulliVariance(Counts counts) {
        double smoothedRate = (counts.errors() + 0.5) / (counts.requests() + 1);
        return smoothedRate * (1 - smoothedRate);
    }
}
