package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StepForecastTest {

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Policy POLICY = new Policy(0.5, 0.95, 2_000, Duration.ofMinutes(5), Duration.ofHours(1));

    @Test
    void theForecastCountIsTheFirstAtWhichTheBoundsAreAsNarrowAsTheMargin() {
        StepObservation observation = StepObservation.withConcurrentControl(1, 0, 1, START, START.plusSeconds(600),
                new Counts(99_000, 990), new Counts(1_000, 10));

        long needed = StepForecast.requestsToDecide(POLICY, observation);

        assertThat(needed).isGreaterThan(1_000);
        assertThat(halfWidth(observation, needed)).isLessThanOrEqualTo(0.005);
        assertThat(halfWidth(observation, needed - 1)).isGreaterThan(0.005);
    }

    @Test
    void theTimeIsTheMissingRequestsAtTheTreatmentsTrafficSoFar() {
        StepObservation observation = StepObservation.withConcurrentControl(1, 0, 1, START, START.plusSeconds(1_000),
                new Counts(198_000, 1_980), new Counts(2_000, 20));

        Forecast forecast = StepForecast.of(POLICY, observation).orElseThrow();

        assertThat(forecast.treatmentRequestsPerSecond()).isEqualTo(2.0);
        assertThat(forecast.seconds()).isEqualTo((forecast.moreTreatmentRequests() + 1) / 2);
    }

    @Test
    void aTreatmentWithoutTrafficHasACountButNoTime() {
        StepObservation observation = StepObservation.withConcurrentControl(1, 0, 5, START, START.plusSeconds(60),
                new Counts(0, 0), new Counts(0, 0));

        Forecast forecast = StepForecast.of(POLICY, observation).orElseThrow();

        assertThat(forecast.moreTreatmentRequests()).isPositive();
        assertThat(forecast.seconds()).isNull();
        assertThat(EvidenceText.forecast(forecast)).endsWith("and the treatment has had no traffic to time it by");
    }

    @Test
    void aFullRolloutWhosePooledControlIsTooSmallCannotDecide() {
        StepObservation observation = StepObservation.atFullRollout(5, 50, START, START.plusSeconds(60),
                new Counts(1_000, 10), new Counts(50, 1));

        assertThat(StepForecast.of(POLICY, observation)).isEmpty();
    }

    @Test
    void readsTheWayAPersonWouldSayIt() {
        assertThat(EvidenceText.forecast(new Forecast(2_437, 1.0, 2_437L)))
                .isEqualTo("needs about 2,400 more requests, 41 min at the current 1 req/s");
        assertThat(EvidenceText.forecast(new Forecast(120_000, 3.333, 36_000L)))
                .isEqualTo("needs about 120,000 more requests, 10 h at the current 3.3 req/s");
    }

    private static double halfWidth(StepObservation observation, long treatmentRequests) {
        long controlRequests = (long) Math.ceil(treatmentRequests * 99.0);
        double controlRate = (990 + 0.5) / (99_000 + 1);
        double treatmentRate = controlRate + 0.005;
        double variance = treatmentRate * (1 - treatmentRate) / treatmentRequests
                + controlRate * (1 - controlRate) / controlRequests;
        return GuardBounds.halfWidth(variance, 0.005 * 0.005, 0.05) + 0.5 / treatmentRequests + 0.5 / controlRequests;
    }
}
