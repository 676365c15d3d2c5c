package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Known answers worked out by hand, independently of the code, and the shape every valid sequence must have. */
class DifferenceIntervalTest {

    private static final double TAU_SQUARED = 2.5e-5;
    private static final double ALPHA = 0.05;

    @Test
    void halfWidthMatchesTheMixtureFormulaWorkedOutByHand() {
        // V = 1e-5: V(V+τ²)/τ² = 1.4e-5; ln(3.5) = 1.2527630; −2 ln 0.05 = 5.9914645; sqrt(1.4e-5 · 7.2442275)
        assertThat(DifferenceInterval.halfWidth(1e-5, TAU_SQUARED, ALPHA)).isCloseTo(0.0100707093, within(1e-10));
        // V = τ²: V(V+τ²)/τ² = 5e-5; ln 2 + 5.9914645 = 6.6846117; sqrt(5e-5 · 6.6846117)
        assertThat(DifferenceInterval.halfWidth(2.5e-5, TAU_SQUARED, ALPHA)).isCloseTo(0.0182819744, within(1e-10));
        // V = 1e-6, τ² = 1e-4, α = 0.01: 1.01e-6 · (ln 101 + 9.2103404) = 1.01e-6 · 13.8255525
        assertThat(DifferenceInterval.halfWidth(1e-6, 1e-4, 0.01)).isCloseTo(0.0037368055, within(1e-10));
    }

    @Test
    void varianceUsesTheSmoothedRatesOfBothArms() {
        // treatment (300.5/10,001)(1 − 300.5/10,001)/10,000 + control (1,000.5/100,001)(1 − 1,000.5/100,001)/100,000
        double variance = DifferenceInterval.variance(new Counts(100_000, 1_000), new Counts(10_000, 300));

        assertThat(variance).isCloseTo(3.0134653567e-6, within(1e-15));
    }

    @Test
    void intervalIsTheEstimatePlusAndMinusTheHalfWidth() {
        DifferenceInterval interval = DifferenceInterval.of(new Counts(100_000, 1_000), new Counts(10_000, 300),
                TAU_SQUARED, ALPHA);

        assertThat(interval.estimate()).isCloseTo(0.02, within(1e-12));
        assertThat(interval.lower()).isCloseTo(0.0147312159, within(1e-10));
        assertThat(interval.upper()).isCloseTo(0.0252687841, within(1e-10));
    }

    @Test
    void anArmWithoutErrorsIsStillUncertain() {
        DifferenceInterval interval = DifferenceInterval.of(new Counts(1_000, 0), new Counts(1_000, 0),
                TAU_SQUARED, ALPHA);

        assertThat(interval.estimate()).isZero();
        assertThat(interval.upper()).isPositive();
        assertThat(interval.lower()).isNegative();
    }

    @Test
    void anEmptyArmLeavesOnlyWhatIsKnownWithoutData() {
        DifferenceInterval interval = DifferenceInterval.of(new Counts(5_000, 50), new Counts(0, 0),
                TAU_SQUARED, ALPHA);

        assertThat(interval).isEqualTo(new DifferenceInterval(0, -1, 1));
    }

    @Test
    void moreDataGivesNarrowerBounds() {
        double previous = Double.POSITIVE_INFINITY;
        for (long treatmentRequests = 500; treatmentRequests <= 4_096_000; treatmentRequests *= 2) {
            Counts treatment = new Counts(treatmentRequests, treatmentRequests / 50);
            Counts control = new Counts(treatmentRequests * 19, treatmentRequests * 19 / 100);
            DifferenceInterval interval = DifferenceInterval.of(control, treatment, TAU_SQUARED, ALPHA);
            double width = interval.upper() - interval.lower();

            assertThat(width).as("width at %,d treatment requests", treatmentRequests).isLessThan(previous);
            previous = width;
        }
    }

    @Test
    void higherConfidenceGivesWiderBounds() {
        assertThat(DifferenceInterval.halfWidth(1e-6, TAU_SQUARED, 0.01))
                .isGreaterThan(DifferenceInterval.halfWidth(1e-6, TAU_SQUARED, 0.05));
    }
}
