package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.decision.Replay.RecordedSample;
import dev.twostep.rolloutanalyzer.decision.Replay.ReplayedVerdict;
import dev.twostep.rolloutanalyzer.decision.Replay.StepSpan;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Policy POLICY = new Policy(1.0, 0.95, 1000, Duration.ZERO, Duration.ofMinutes(10));

    /** One minute of traffic per sample pair, arriving a second after its window ends. */
    private static List<RecordedSample> traffic(Instant from, int minutes, long requests, long controlErrors,
                                                long treatmentErrors) {
        List<RecordedSample> samples = new ArrayList<>();
        for (int minute = 0; minute < minutes; minute++) {
            Instant start = from.plus(Duration.ofMinutes(minute));
            Instant arrival = start.plusSeconds(61);
            samples.add(new RecordedSample(Variant.off, start, arrival, requests, controlErrors));
            samples.add(new RecordedSample(Variant.on, start, arrival, requests, treatmentErrors));
        }
        return samples;
    }

    @Test
    void aHealthyStepAdvancesOnceItsBoundIsBelowTheGuard() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 50, T0, null));
        List<ReplayedVerdict> verdicts = Replay.replay(POLICY, steps, traffic(T0, 10, 1000, 10, 10),
                T0.plus(Duration.ofMinutes(30)));

        assertThat(verdicts).singleElement().satisfies(verdict -> {
            assertThat(verdict.verdict()).isInstanceOf(Verdict.Advance.class);
            assertThat(verdict.at()).isAfter(T0).isBefore(T0.plus(Duration.ofMinutes(11)));
        });
    }

    @Test
    void aStricterPolicyRollsBackWhatTheLooserOneAdvanced() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 50, T0, null));
        List<RecordedSample> samples = traffic(T0, 10, 1000, 10, 25); // +1.5pp
        Instant until = T0.plus(Duration.ofMinutes(30));

        Policy loose = new Policy(5.0, 0.95, 1000, Duration.ZERO, Duration.ofMinutes(10));
        Policy strict = new Policy(0.5, 0.95, 1000, Duration.ZERO, Duration.ofMinutes(10));
        assertThat(Replay.replay(loose, steps, samples, until).getFirst().verdict()).isInstanceOf(Verdict.Advance.class);
        assertThat(Replay.replay(strict, steps, samples, until).getFirst().verdict())
                .isInstanceOf(Verdict.Rollback.class);
    }

    @Test
    void aStepWithoutTrafficIsHeldWhenItsMaximumDurationRunsOut() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 5, T0, null));
        ReplayedVerdict verdict = Replay.replay(POLICY, steps, List.of(), T0.plus(Duration.ofHours(1))).getFirst();

        assertThat(verdict.verdict()).isInstanceOfSatisfying(Verdict.Hold.class,
                hold -> assertThat(hold.reason()).isEqualTo(Verdict.Hold.Reason.TOO_FEW_TREATMENT_REQUESTS));
        assertThat(verdict.at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void eachSampleCountsInTheStepItsWindowStartedIn_andTheFullStepUsesTheEarlierControl() {
        Instant second = T0.plus(Duration.ofMinutes(10));
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 50, T0, second), new StepSpan(2, 50, 100, second, null));
        List<RecordedSample> samples = new ArrayList<>(traffic(T0, 10, 1000, 10, 10));
        // at 100 % every request has the variant on; the regression shows against the control of step 1
        for (int minute = 0; minute < 10; minute++) {
            Instant start = second.plus(Duration.ofMinutes(minute));
            samples.add(new RecordedSample(Variant.on, start, start.plusSeconds(61), 2000, 100));
        }

        List<ReplayedVerdict> verdicts = Replay.replay(POLICY, steps, samples, second.plus(Duration.ofHours(1)));

        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0).verdict()).isInstanceOf(Verdict.Advance.class);
        assertThat(verdicts.get(1).verdict()).isInstanceOfSatisfying(Verdict.Rollback.class, rollback -> {
            assertThat(rollback.evidence().baseline()).contains("pooled control");
            assertThat(rollback.evidence().control().requests()).isEqualTo(10_000);
        });
    }

    private static final GuardRule ERRORS = new GuardRule("errors", "errorRate", 1.0, 0.95, true);
    private static final GuardRule SLOW = new GuardRule("slow", "latency", 1.0, 0.95, false);
    private static final RolloutPolicy TWO_GUARDS = new RolloutPolicy(List.of(ERRORS, SLOW), 1000, Duration.ZERO,
            Duration.ofMinutes(10));

    /** A look at both Prometheus guards, {@code seconds} into step 1: the counts since the step began. */
    private static List<GuardLook> looksAt(int seconds, long requests, long treatmentSlow) {
        Instant at = T0.plusSeconds(seconds);
        return List.of(
                new GuardLook("errors", 1, at, new Counts(requests, requests / 200),
                        new Counts(requests, requests / 200), List.of("errors-q"), null),
                new GuardLook("slow", 1, at, new Counts(requests, requests / 200), new Counts(requests, treatmentSlow),
                        List.of("slow-q"), null));
    }

    @Test
    void prometheusGuardsAreReplayedFromTheirLooks_andADryRunGuardMadeActingRollsBackAtTheFirstLookThatCrossed() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 20, T0, null));
        List<GuardLook> looks = new ArrayList<>();
        looks.add(new GuardLook("slow", 1, T0.plusSeconds(5), null, null, List.of("slow-q"), "empty result"));
        looks.addAll(looksAt(10, 100, 1));       // too few requests to say anything
        looksAt(20, 3_000, 150).forEach(looks::add);   // 5 % slow against 0.5 %: the slow guard's bound crosses
        looksAt(30, 10_000, 500).forEach(looks::add);
        Replay.History history = new Replay.History(List.of(), Set.of("errors", "slow"), looks);
        Instant until = T0.plus(Duration.ofMinutes(30));

        ReplayedVerdict asRecorded = Replay.replay(TWO_GUARDS, steps, history, until).getFirst();
        ReplayedVerdict acting = Replay.replay(TWO_GUARDS.withActing(Set.of("slow")), steps, history, until).getFirst();

        assertThat(asRecorded.verdict()).isNotInstanceOf(Verdict.Rollback.class);
        assertThat(asRecorded.verdict().evidence().guards().get(1).verdict()).isEqualTo("rollback");
        assertThat(acting.verdict()).isInstanceOfSatisfying(Verdict.Rollback.class, rollback -> {
            assertThat(rollback.evidence().decidedBy()).isEqualTo("slow");
            assertThat(rollback.evidence().treatment()).isEqualTo(new Counts(3_000, 150));
            assertThat(rollback.evidence().guards().get(1).source().queries()).containsExactly("slow-q");
        });
        assertThat(acting.at()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aLookWithoutDataGivesAPrometheusGuardNoCounts_andTheStepHoldsAtItsMaximumDuration() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 20, T0, null));
        List<GuardLook> looks = List.of(new GuardLook("errors", 1, T0.plusSeconds(10), null, null, List.of("q"),
                "unreachable: http://prometheus:9090"));
        RolloutPolicy policy = new RolloutPolicy(List.of(ERRORS), 1000, Duration.ZERO, Duration.ofMinutes(10));

        ReplayedVerdict verdict = Replay.replay(policy, steps, new Replay.History(List.of(), Set.of("errors"), looks),
                T0.plus(Duration.ofHours(1))).getFirst();

        assertThat(verdict.verdict()).isInstanceOf(Verdict.Hold.class);
        assertThat(verdict.at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(verdict.verdict().evidence().summary()).startsWith("no data (unreachable: http://prometheus:9090)");
    }

    /** The samples come back from the database in no particular order; the verdicts must not depend on it. */
    @Test
    void theOrderTheSamplesAreReadInDoesNotChangeTheVerdicts() {
        List<StepSpan> steps = List.of(new StepSpan(1, 0, 50, T0, null));
        List<RecordedSample> samples = traffic(T0, 10, 1000, 10, 30);
        List<RecordedSample> reversed = new ArrayList<>(samples);
        Collections.reverse(reversed);
        Instant until = T0.plus(Duration.ofHours(1));

        List<ReplayedVerdict> inOrder = Replay.replay(POLICY, steps, samples, until);
        assertThat(inOrder).singleElement().extracting(ReplayedVerdict::verdict).isInstanceOf(Verdict.Rollback.class);
        assertThat(Replay.replay(POLICY, steps, reversed, until)).isEqualTo(inOrder);
    }
}
