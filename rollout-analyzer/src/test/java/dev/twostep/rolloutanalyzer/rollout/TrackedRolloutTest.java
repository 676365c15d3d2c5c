package dev.twostep.rolloutanalyzer.rollout;

import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.rolloutanalyzer.decision.Verdict;
import dev.twostep.rolloutanalyzer.rollout.TrackedRollout.StepBegun;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackedRolloutTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Plan PLAN = new Plan(List.of(1.0, 5.0, 100.0), 1000, Duration.ofMinutes(5),
            Duration.ofHours(1), new Guard("errorRate", 0.5, 0.95));
    private static final Evidence EVIDENCE = new Evidence(new Window(T0, T0.plusSeconds(60)), new Counts(10, 0),
            new Counts(10, 0), "method", 0.1, 0.5, "concurrent control", "summary");

    private static TrackedRollout rollout(int lastDecidedStep, double... percentsBegun) {
        List<StepBegun> begun = new java.util.ArrayList<>();
        for (int i = 0; i < percentsBegun.length; i++) {
            begun.add(new StepBegun(percentsBegun[i], T0.plusSeconds(600L * i)));
        }
        return new TrackedRollout("r-1", "new-payment-form", "prod", PLAN, true, begun, lastDecidedStep);
    }

    @Test
    void givenNoStepSeenYet_thenNothingAwaitsADecision() {
        assertThat(rollout(0).currentStep()).isZero();
        assertThat(rollout(0).awaitsDecision()).isFalse();
    }

    @Test
    void givenStepsArrivingOutOfOrder_thenTheHighestBegunStepRuns() {
        TrackedRollout rollout = new TrackedRollout("r-1", "f", "prod", PLAN, true,
                List.of(new StepBegun(5.0, T0.plusSeconds(600)), new StepBegun(1.0, T0)), 1);
        assertThat(rollout.currentStep()).isEqualTo(2);
        assertThat(rollout.previousPercent()).isEqualTo(1.0);
        assertThat(rollout.currentStepStartedAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(rollout.firstStepStartedAt()).isEqualTo(T0);
        assertThat(rollout.awaitsDecision()).isTrue();
    }

    @Test
    void whenAStepAdvances_thenTheDecisionNamesTheNextPercentage() {
        RolloutDecisionEvent decision = rollout(0, 1.0).decide(new Verdict.Advance(EVIDENCE)).orElseThrow();
        assertThat(decision).isInstanceOfSatisfying(RolloutAdvanceDecided.class, advance -> {
            assertThat(advance.decisionId()).isEqualTo("r-1/step-1");
            assertThat(advance.step()).isEqualTo(1);
            assertThat(advance.fromPercent()).isEqualTo(1.0);
            assertThat(advance.toPercent()).isEqualTo(5.0);
            assertThat(advance.planVersion()).isEqualTo(TrackedRollout.PLAN_VERSION);
        });
    }

    @Test
    void whenTheLastStepAdvances_thenTheDecisionStaysAtItsPercentage() {
        RolloutDecisionEvent decision = rollout(2, 1.0, 5.0, 100.0).decide(new Verdict.Advance(EVIDENCE))
                .orElseThrow();
        assertThat(decision.step()).isEqualTo(3);
        assertThat(((RolloutAdvanceDecided) decision).toPercent()).isEqualTo(100.0);
    }

    @Test
    void whenAStepRollsBack_thenTheDecisionGoesToZero() {
        RolloutDecisionEvent decision = rollout(1, 1.0, 5.0).decide(new Verdict.Rollback(EVIDENCE)).orElseThrow();
        assertThat(decision).isInstanceOfSatisfying(RolloutRollbackDecided.class, rollback -> {
            assertThat(rollback.step()).isEqualTo(2);
            assertThat(rollback.fromPercent()).isEqualTo(5.0);
            assertThat(rollback.toPercent()).isZero();
        });
    }

    @Test
    void whenAStepIsHeld_thenTheAudienceStays() {
        RolloutDecisionEvent decision = rollout(0, 1.0)
                .decide(new Verdict.Hold(Verdict.Hold.Reason.TOO_FEW_TREATMENT_REQUESTS, EVIDENCE)).orElseThrow();
        assertThat(decision).isInstanceOfSatisfying(RolloutHoldDecided.class,
                hold -> assertThat(hold.toPercent()).isEqualTo(hold.fromPercent()));
    }

    @Test
    void whileTheJudgeKeepsWatching_thenThereIsNoDecision() {
        assertThat(rollout(0, 1.0).decide(new Verdict.KeepWatching(EVIDENCE))).isEmpty();
    }

    @Test
    void givenTheStepWasDecided_thenItGetsNoSecondDecision() {
        TrackedRollout decided = rollout(1, 1.0);
        assertThat(decided.awaitsDecision()).isFalse();
        assertThatThrownBy(() -> decided.decide(new Verdict.Advance(EVIDENCE)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenTheRolloutEnded_thenItAwaitsNoDecision() {
        TrackedRollout ended = new TrackedRollout("r-1", "f", "prod", PLAN, false,
                List.of(new StepBegun(1.0, T0)), 0);
        assertThat(ended.awaitsDecision()).isFalse();
    }
}
