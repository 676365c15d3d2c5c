package dev.twostep.cli.log;

import dev.twostep.events.EventSummary;
import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code twostep log}: a decision line says which guard decided and, for a hold, what the step still needs. */
class EventLineDecisionTest {

    @Test
    void aHoldNamesItsGuardAndWhatTheStepNeeds() {
        Forecast forecast = new Forecast(2_400, 1.0, 2_400L);
        GuardEvidence latency = new GuardEvidence("slow-checkout", "latency", true, "hold", new Counts(356_400, 3_564),
                new Counts(3_600, 36), 0.71, 0.5, 0.025, "held after 1h: inconclusive", null, forecast);
        Evidence evidence = new Evidence(null, new Counts(356_400, 3_564), new Counts(3_600, 36), "mSPRT", 0.71, 0.5,
                "concurrent control", "guard slow-checkout: held after 1h: inconclusive; needs about 2,400 more "
                + "requests, 40 min at the current 1 req/s", "slow-checkout", List.of(latency), forecast);

        String line = EventSummary.decision(new RolloutHoldDecided("r/step-1", "r", "checkout", "prod", 1, 1, 1, 1,
                evidence));

        assertThat(line).isEqualTo("hold checkout@prod step 1 (1%): guard slow-checkout: held after 1h: inconclusive; "
                + "needs about 2,400 more requests, 40 min at the current 1 req/s");
    }

    @Test
    void aSampleForAGuardNamesIt() {
        MetricSampleRecorded sample = new MetricSampleRecorded("s", "checkout", "prod", "new-form", Variant.on,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(10), 1_200, 14, "slow-checkout");

        assertThat(EventSummary.summary(sample)).isEqualTo("new-form@prod on: 14 bad for guard slow-checkout in 1200 requests");
    }
}
