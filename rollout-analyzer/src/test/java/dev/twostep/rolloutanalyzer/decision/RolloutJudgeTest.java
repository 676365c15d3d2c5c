package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Evidence;
import dev.twostep.events.RolloutDecisionEvent.Window;
import dev.twostep.rolloutanalyzer.decision.Verdict.Hold.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RolloutJudgeTest {

    private static final Instant STEP_START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Policy POLICY = new Policy(0.5, 0.95, 2_000, Duration.ofMinutes(5), Duration.ofHours(1));

    @Test
    void rollsBackWhenTheIncreaseIsShownToExceedTheGuard() {
        // given a treatment at 3 % against a control at 1 %
        StepObservation observation = step(Duration.ofMinutes(10), new Counts(990_000, 9_900), new Counts(10_000, 300));

        // when
        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        // then: d̂ = 2 pp, half-width 0.349 pp worked out by hand, so the lower bound is 1.65 pp > 0.5 pp
        assertThat(verdict).isInstanceOf(Verdict.Rollback.class);
        Evidence evidence = verdict.evidence();
        assertThat(evidence.statistic()).isCloseTo(1.6513323205, within(1e-8));
        assertThat(evidence.threshold()).isEqualTo(0.5);
        assertThat(evidence.summary()).isEqualTo(
                "treatment 3.0% of 10,000 vs control 1.0% of 990,000, +2.00pp, lower bound +1.65pp > 0.5pp at 95%");
    }

    @Test
    void rollsBackBeforeTheStepsMinimumsAreMet() {
        // given a clearly harmful treatment one minute into a step that asks for 5 minutes and 20,000 requests
        Policy demanding = new Policy(0.5, 0.95, 20_000, Duration.ofMinutes(5), Duration.ofHours(1));
        StepObservation observation = step(Duration.ofMinutes(1), new Counts(990_000, 9_900), new Counts(10_000, 300));

        // when / then: safety is judged first
        assertThat(RolloutJudge.judge(demanding, observation)).isInstanceOf(Verdict.Rollback.class);
    }

    @Test
    void advancesWhenTheIncreaseIsShownToStayWithinTheGuard() {
        // given equal rates after enough requests and time
        StepObservation observation = step(Duration.ofMinutes(10), new Counts(1_980_000, 19_800), new Counts(20_000, 200));

        // when
        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        // then: half-width 0.252 pp worked out by hand, below the 0.5 pp guard
        assertThat(verdict).isInstanceOf(Verdict.Advance.class);
        assertThat(verdict.evidence().statistic()).isCloseTo(0.2524288211, within(1e-8));
        assertThat(verdict.evidence().summary()).isEqualTo(
                "treatment 1.0% of 20,000 vs control 1.0% of 1,980,000, +0.00pp, upper bound +0.25pp < 0.5pp at 95%");
    }

    @Test
    void keepsWatchingAGoodStepUntilItHasEnoughTreatmentRequests() {
        Policy demanding = new Policy(0.5, 0.95, 50_000, Duration.ofMinutes(5), Duration.ofHours(1));
        StepObservation observation = step(Duration.ofMinutes(10), new Counts(1_980_000, 19_800), new Counts(20_000, 200));

        Verdict verdict = RolloutJudge.judge(demanding, observation);

        assertThat(verdict).isInstanceOf(Verdict.KeepWatching.class);
        assertThat(verdict.evidence().summary()).endsWith("; waiting for 50,000 treatment requests");
    }

    @Test
    void keepsWatchingAGoodStepUntilItHasLastedItsMinimum() {
        StepObservation observation = step(Duration.ofMinutes(3), new Counts(1_980_000, 19_800), new Counts(20_000, 200));

        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        assertThat(verdict).isInstanceOf(Verdict.KeepWatching.class);
        assertThat(verdict.evidence().summary()).startsWith("watching for 3m: ").endsWith("; waiting for 5m in step");
    }

    @Test
    void keepsWatchingWhileTheBoundsStillIncludeTheGuard() {
        StepObservation observation = step(Duration.ofMinutes(10), new Counts(98_000, 980), new Counts(2_000, 30));

        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        assertThat(verdict).isInstanceOf(Verdict.KeepWatching.class);
        assertThat(verdict.evidence().summary()).isEqualTo("watching for 10m: treatment 1.5% of 2,000 vs control "
                + "1.0% of 98,000, +0.50pp, 95% one-sided bounds -0.30pp..+1.30pp; waiting for upper bound below 0.5pp");
    }

    @Test
    void keepsWatchingBeforeAnyTreatmentRequestArrives() {
        StepObservation observation = step(Duration.ofSeconds(10), new Counts(1_000, 10), new Counts(0, 0));

        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        assertThat(verdict).isInstanceOf(Verdict.KeepWatching.class);
        assertThat(verdict.evidence().summary()).isEqualTo("watching for 10s: treatment 0 requests vs control 1.0% "
                + "of 1,000, no difference measurable yet; waiting for 2,000 treatment requests, 5m in step, "
                + "upper bound below 0.5pp");
    }

    @Test
    void holdsWhenTheStepRunsOutOfTimeWithTooFewTreatmentRequests() {
        // given a low-traffic step: 720 treatment requests in an hour, 2,000 needed
        StepObservation observation = step(Duration.ofHours(1), new Counts(71_280, 713), new Counts(720, 7));

        // when
        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        // then
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Hold.class,
                hold -> assertThat(hold.reason()).isEqualTo(Reason.TOO_FEW_TREATMENT_REQUESTS));
        assertThat(verdict.evidence().summary())
                .startsWith("held after 1h: too few treatment requests (720 of 2,000 needed); "
                        + "treatment 0.97% of 720 vs control 1.0% of 71,280, ");
    }

    @Test
    void holdsWhenTheStepRunsOutOfTimeWithoutAConclusion() {
        // given a treatment right at the guard: d̂ = 0.5 pp, bounds +0.15 pp .. +0.85 pp worked out by hand
        StepObservation observation = step(Duration.ofMinutes(61), new Counts(990_000, 9_900), new Counts(10_000, 150));

        // when
        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        // then
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Hold.class,
                hold -> assertThat(hold.reason()).isEqualTo(Reason.INCONCLUSIVE));
        assertThat(verdict.evidence().summary()).isEqualTo("held after 1h1m: inconclusive, the bounds include 0.5pp; "
                + "treatment 1.5% of 10,000 vs control 1.0% of 990,000, +0.50pp, 95% one-sided bounds +0.15pp..+0.85pp");
    }

    @Test
    void theFullRolloutComparesWithTheControlPooledFromThePreviousSteps() {
        // given the 100 % step: no concurrent control, 1.2 million control requests from the steps before
        Counts pooled = new Counts(1_200_000, 12_000);
        StepObservation observation = StepObservation.atFullRollout(4, 50, STEP_START,
                STEP_START.plus(Duration.ofMinutes(10)), new Counts(50_000, 500), pooled);

        // when
        Verdict verdict = RolloutJudge.judge(POLICY, observation);

        // then
        assertThat(verdict).isInstanceOf(Verdict.Advance.class);
        assertThat(verdict.evidence().control()).isEqualTo(pooled);
        assertThat(verdict.evidence().baseline()).contains("pooled", "previous steps", "no concurrent control");
        assertThat(verdict.evidence().summary()).startsWith("treatment 1.0% of 50,000 vs pooled control 1.0% of 1,200,000");
    }

    @Test
    void aRegressionAtFullRolloutIsCaughtAgainstThePooledControl() {
        StepObservation observation = StepObservation.atFullRollout(4, 50, STEP_START,
                STEP_START.plus(Duration.ofMinutes(2)), new Counts(50_000, 1_000), new Counts(1_200_000, 12_000));

        assertThat(RolloutJudge.judge(POLICY, observation)).isInstanceOf(Verdict.Rollback.class);
    }

    @Test
    void aPartialStepComparesWithItsConcurrentControl() {
        Verdict verdict = RolloutJudge.judge(POLICY,
                step(Duration.ofMinutes(10), new Counts(1_980_000, 19_800), new Counts(20_000, 200)));

        assertThat(verdict.evidence().control()).isEqualTo(new Counts(1_980_000, 19_800));
        assertThat(verdict.evidence().baseline()).startsWith("concurrent control");
    }

    @Test
    void evidenceCarriesTheWindowTheArmsAndTheMethod() {
        Evidence evidence = RolloutJudge.judge(POLICY,
                step(Duration.ofMinutes(10), new Counts(990_000, 9_900), new Counts(10_000, 300))).evidence();

        assertThat(evidence.window()).isEqualTo(new Window(STEP_START, STEP_START.plus(Duration.ofMinutes(10))));
        assertThat(evidence.treatment()).isEqualTo(new Counts(10_000, 300));
        assertThat(evidence.method()).isEqualTo(
                "always-valid one-sided mSPRT of pT-pC against maxIncrease (half-normal mixture, tau2=2.50e-05, "
                        + "variance at pT = pC + maxIncrease, plus 0.5/n per arm)");
    }

    @Test
    void theMixtureVarianceIsTheGuardsMarginSquared() {
        assertThat(RolloutJudge.tauSquared(POLICY)).isCloseTo(2.5e-5, within(1e-18));
    }

    @Test
    void aPolicyIsReadFromTheReleasePlan() {
        ReleaseEvent.Plan plan = new ReleaseEvent.Plan(List.of(1.0, 5.0, 25.0, 50.0, 100.0), 2_000,
                Duration.ofMinutes(5), Duration.ofHours(1), new ReleaseEvent.Guard("error-rate", 0.5, 0.95));

        assertThat(Policy.from(plan)).isEqualTo(POLICY);
        assertThat(POLICY.maxIncreaseAsProportion()).isCloseTo(0.005, within(1e-15));
    }

    @Test
    void aPolicyThatCouldNeverDecideIsRejected() {
        assertThatThrownBy(() -> new Policy(0, 0.95, 2_000, Duration.ofMinutes(5), Duration.ofHours(1)))
                .hasMessageContaining("maxIncrease");
        assertThatThrownBy(() -> new Policy(0.5, 1, 2_000, Duration.ofMinutes(5), Duration.ofHours(1)))
                .hasMessageContaining("confidence");
        assertThatThrownBy(() -> new Policy(0.5, 0.95, 2_000, Duration.ofHours(2), Duration.ofHours(1)))
                .hasMessageContaining("maxStepDuration");
    }

    @Test
    void anObservationWithMoreErrorsThanRequestsIsRejected() {
        assertThatThrownBy(() -> step(Duration.ofMinutes(1), new Counts(10, 11), new Counts(10, 1)))
                .hasMessageContaining("control errors must not exceed requests");
    }

    private static StepObservation step(Duration elapsed, Counts control, Counts treatment) {
        return StepObservation.withConcurrentControl(1, 1, 5, STEP_START, STEP_START.plus(elapsed), control, treatment);
    }
}
