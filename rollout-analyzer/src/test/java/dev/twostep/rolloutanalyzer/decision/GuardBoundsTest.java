package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Known answers worked out independently of the code, and the shape every valid sequence must have. */
class GuardBoundsTest {

    private static final double TAU_SQUARED = 2.5e-5;
    private static final double ALPHA = 0.05;
    private static final double MARGIN = 0.005;

    @Test
    void halfWidthMatchesTheClosedFormWorkedOutByHand() {
        // V = 1e-5: c = ½ ln 3.5 − ln 0.1 = 2.9289666, z₀ = 2.4203168, φ(z₀)/z₀ = 0.0088096,
        // z = sqrt(2c − 2 ln(1 − 0.0088096)) = 2.4239700, times sqrt(V(V+τ²)/τ²) = sqrt(1.4e-5)
        assertThat(GuardBounds.halfWidth(1e-5, TAU_SQUARED, ALPHA)).isCloseTo(0.0090696667, within(1e-10));
        // V = τ²: c = ½ ln 2 + ln 10 = 2.6491324, z = 2.3071580, times sqrt(5e-5)
        assertThat(GuardBounds.halfWidth(2.5e-5, TAU_SQUARED, ALPHA)).isCloseTo(0.0163140729, within(1e-10));
        // V = 1e-6, τ² = 1e-4, α = 0.01: z = 3.5269840, times sqrt(1.01e-6)
        assertThat(GuardBounds.halfWidth(1e-6, 1e-4, 0.01)).isCloseTo(0.0035445751, within(1e-10));
    }

    @Test
    void belowSeventyPercentConfidenceTheTwoSidedWidthStandsIn() {
        // α = 0.4, V = 1e-4, τ² = 1e-6: z₀ = 0.675 < 1, so z = sqrt(ln 1.01 − 2 ln 0.4) = 1.3573990
        assertThat(GuardBounds.halfWidth(1e-4, 1e-6, 0.4)).isCloseTo(0.1364169019, within(1e-10));
    }

    @Test
    void theClosedFormIsNeverNarrowerThanTheExactMixtureBoundAndCloseToIt() {
        // α and how much wider than exact the closed form may be: the Mills-ratio step is loosest at low confidence
        double[][] alphaAndSlack = {{0.2, 0.025}, {0.1, 0.004}, {0.05, 0.001}, {0.01, 0.0001}, {0.001, 0.0001}};
        for (double[] row : alphaAndSlack) {
            double alpha = row[0];
            for (double ratio : new double[] {0.01, 0.1, 1, 8, 100, 10_000}) {
                double variance = 1e-6;
                double exact = exactHalfWidth(variance, ratio * variance, alpha);

                assertThat(GuardBounds.halfWidth(variance, ratio * variance, alpha))
                        .as("alpha %s, tau2/V %s", alpha, ratio)
                        .isGreaterThanOrEqualTo(exact)
                        .isLessThan(exact * (1 + row[1]));
            }
        }
    }

    @Test
    void varianceIsTakenWhereTheNullPutsTheArms() {
        // control at 1,000.5/100,001; treatment at that plus 0.5 pp: p(1 − p)/n for each arm, added
        double variance = GuardBounds.varianceAtMargin(new Counts(100_000, 1_000), new Counts(10_000, 300), MARGIN);

        assertThat(variance).isCloseTo(1.5770233121e-6, within(1e-15));
    }

    @Test
    void boundsAreTheEstimatePlusAndMinusTheHalfWidthAndHalfARequestPerArm() {
        GuardBounds bounds = GuardBounds.of(new Counts(100_000, 1_000), new Counts(10_000, 300), MARGIN,
                TAU_SQUARED, ALPHA);

        assertThat(bounds.estimate()).isCloseTo(0.02, within(1e-12));
        // half-width 0.0035309852 from the mixture, plus 0.5/10,000 + 0.5/100,000
        assertThat(bounds.lower()).isCloseTo(0.0164140148, within(1e-10));
        assertThat(bounds.upper()).isCloseTo(0.0235859852, within(1e-10));
    }

    @Test
    void aTreatmentWithoutErrorsYetIsNotTakenAsCertain() {
        // 200 treatment requests, none failed. With each arm's own smoothed rate the variance was so small that
        // the upper bound fell to +0.18 pp, below the guard: a regression could advance on its first 200 requests.
        GuardBounds bounds = GuardBounds.of(new Counts(19_800, 198), new Counts(200, 0), MARGIN, TAU_SQUARED, ALPHA);

        assertThat(bounds.estimate()).isCloseTo(-0.01, within(1e-12));
        assertThat(bounds.upper()).isCloseTo(0.0307414485, within(1e-9)).isGreaterThan(MARGIN);
    }

    @Test
    void anEmptyArmLeavesOnlyWhatIsKnownWithoutData() {
        GuardBounds bounds = GuardBounds.of(new Counts(5_000, 50), new Counts(0, 0), MARGIN, TAU_SQUARED, ALPHA);

        assertThat(bounds).isEqualTo(new GuardBounds(0, -1, 1));
    }

    @Test
    void moreDataGivesNarrowerBounds() {
        double previous = Double.POSITIVE_INFINITY;
        for (long treatmentRequests = 500; treatmentRequests <= 4_096_000; treatmentRequests *= 2) {
            Counts treatment = new Counts(treatmentRequests, treatmentRequests / 50);
            Counts control = new Counts(treatmentRequests * 19, treatmentRequests * 19 / 100);
            GuardBounds bounds = GuardBounds.of(control, treatment, MARGIN, TAU_SQUARED, ALPHA);
            double width = bounds.upper() - bounds.lower();

            assertThat(width).as("width at %,d treatment requests", treatmentRequests).isLessThan(previous);
            previous = width;
        }
    }

    @Test
    void higherConfidenceGivesWiderBounds() {
        assertThat(GuardBounds.halfWidth(1e-6, TAU_SQUARED, 0.01))
                .isGreaterThan(GuardBounds.halfWidth(1e-6, TAU_SQUARED, 0.05));
    }

    /**
     * The half-normal mixture's boundary solved exactly: bisection on {@code z²/2 + ln Φ(z) = c}, with Φ by
     * Simpson's rule, so the test does not share the closed form's Mills-ratio step.
     */
    private static double exactHalfWidth(double variance, double tauSquared, double alpha) {
        double c = Math.log1p(tauSquared / variance) / 2 - Math.log(2 * alpha);
        double low = -10;
        double high = 20;
        for (int iteration = 0; iteration < 100; iteration++) {
            double middle = (low + high) / 2;
            if (middle * middle / 2 + Math.log(normalCdf(middle)) < c) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return Math.sqrt(variance * (variance + tauSquared) / tauSquared) * low;
    }

    private static double normalCdf(double z) {
        int intervals = 20_000;
        double step = z / intervals;
        double sum = density(0) + density(z);
        for (int index = 1; index < intervals; index++) {
            sum += density(index * step) * (index % 2 == 1 ? 4 : 2);
        }
        return 0.5 + sum * step / 3;
    }

    private static double density(double z) {
        return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }
}
