package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.GuardEvidence;
import dev.twostep.events.RolloutDecisionEvent.SourceEvidence;
import dev.twostep.rolloutanalyzer.decision.Verdict.Hold.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

class GuardFamilyTest {

    private static final Instant STEP_START = Instant.parse("2026-03-02T10:00:00Z");
    private static final GuardRule ERRORS = new GuardRule("errorRate", "errorRate", 0.5, 0.95, true);
    private static final GuardRule LATENCY = new GuardRule("slow-checkout", "latency", 0.5, 0.95, true);
    private static final RolloutPolicy TWO_GUARDS = new RolloutPolicy(List.of(ERRORS, LATENCY), 2_000,
            Duration.ofMinutes(5), Duration.ofHours(1));

    private static final Counts HEALTHY_CONTROL = new Counts(1_980_000, 19_800);
    private static final Counts HEALTHY_TREATMENT = new Counts(20_000, 200);
    private static final Counts REGRESSED_TREATMENT = new Counts(20_000, 600);

    @Test
    void splitsAlphaAcrossTheActingGuardsAndGivesADryRunGuardTheShareItWouldHave() {
        GuardRule dryRun = new GuardRule("abandoned", "ratio", 0.5, 0.95, false);
        RolloutPolicy policy = new RolloutPolicy(List.of(ERRORS, LATENCY, dryRun), 0, Duration.ZERO, Duration.ofHours(1));

        assertThat(policy.alphaOf(ERRORS)).isCloseTo(0.025, offset(1e-12));
        assertThat(policy.alphaOf(dryRun)).isCloseTo(0.05 / 3, offset(1e-12));
        assertThat(policy.withActing(Set.of("abandoned")).alphaOf(ERRORS))
                .isCloseTo(0.05 / 3, offset(1e-12));
    }

    @Test
    void anyActingGuardsRollbackRollsTheStepBackAndSaysWhichGuard() {
        Verdict verdict = GuardFamily.judge(TWO_GUARDS, List.of(
                reading(ERRORS, HEALTHY_CONTROL, HEALTHY_TREATMENT), reading(LATENCY, HEALTHY_CONTROL, REGRESSED_TREATMENT)));

        assertThat(verdict).isInstanceOf(Verdict.Rollback.class);
        assertThat(verdict.evidence().decidedBy()).isEqualTo("slow-checkout");
        assertThat(verdict.evidence().summary()).startsWith("guard slow-checkout: treatment 3.0% of 20,000")
                .contains("at 97.5%");
        assertThat(verdict.evidence().treatment()).isEqualTo(REGRESSED_TREATMENT);
        assertThat(verdict.evidence().guards()).extracting(GuardEvidence::name, GuardEvidence::verdict)
                .containsExactly(tuple("errorRate", "advance"), tuple("slow-checkout", "rollback"));
    }

    @Test
    void advancesOnlyWhenEveryActingGuardAdvances() {
        Counts undecided = new Counts(20_000, 290);
        Verdict waiting = GuardFamily.judge(TWO_GUARDS, List.of(
                reading(ERRORS, HEALTHY_CONTROL, HEALTHY_TREATMENT), reading(LATENCY, HEALTHY_CONTROL, undecided)));
        Verdict both = GuardFamily.judge(TWO_GUARDS, List.of(
                reading(ERRORS, HEALTHY_CONTROL, HEALTHY_TREATMENT), reading(LATENCY, HEALTHY_CONTROL, HEALTHY_TREATMENT)));

        assertThat(waiting).isInstanceOf(Verdict.KeepWatching.class);
        assertThat(waiting.evidence().decidedBy()).isEqualTo("slow-checkout");
        assertThat(waiting.evidence().forecast()).isNotNull();
        assertThat(both).isInstanceOf(Verdict.Advance.class);
        assertThat(both.evidence().guards()).extracting(GuardEvidence::verdict).containsExactly("advance", "advance");
    }

    @Test
    void aDryRunGuardIsRecordedWithItsVerdictAndNeverActs() {
        GuardRule dryLatency = new GuardRule("slow-checkout", "latency", 0.5, 0.95, false);
        RolloutPolicy policy = new RolloutPolicy(List.of(ERRORS, dryLatency), 2_000, Duration.ofMinutes(5),
                Duration.ofHours(1));
        List<GuardReading> readings = List.of(reading(ERRORS, HEALTHY_CONTROL, HEALTHY_TREATMENT),
                reading(dryLatency, HEALTHY_CONTROL, REGRESSED_TREATMENT));

        Verdict dry = GuardFamily.judge(policy, readings);
        Verdict actingInReplay = GuardFamily.judge(policy.withActing(Set.of("slow-checkout")),
                readings.stream().map(r -> new GuardReading(r.guard().actingNow(), r.observation(), null)).toList());

        assertThat(dry).isInstanceOf(Verdict.Advance.class);
        assertThat(dry.evidence().decidedBy()).isEqualTo("errorRate");
        assertThat(dry.evidence().guards().get(1)).extracting(GuardEvidence::acting, GuardEvidence::verdict)
                .containsExactly(false, "rollback");
        assertThat(dry.evidence().summary()).endsWith("; dry-run slow-checkout: rollback");
        assertThat(actingInReplay).isInstanceOf(Verdict.Rollback.class);
    }

    @Test
    void aSourceWithoutDataNeverAdvancesAndHoldsAtTheLongestStep() {
        SourceEvidence down = new SourceEvidence("prometheus", List.of("sum(increase(x[1h]))"),
                "unreachable: connection refused");
        GuardReading noData = new GuardReading(LATENCY, step(Duration.ofHours(1), new Counts(0, 0), new Counts(0, 0)), down);

        Verdict verdict = GuardFamily.judge(TWO_GUARDS, List.of(reading(ERRORS, HEALTHY_CONTROL, HEALTHY_TREATMENT),
                noData));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Hold.class,
                hold -> assertThat(hold.reason()).isEqualTo(Reason.TOO_FEW_TREATMENT_REQUESTS));
        assertThat(verdict.evidence().decidedBy()).isEqualTo("slow-checkout");
        assertThat(verdict.evidence().summary()).contains("no data (unreachable: connection refused)");
        assertThat(verdict.evidence().guards().get(1).source()).isEqualTo(down);
    }

    @Test
    void aHoldSaysHowManyMoreRequestsAndHowLongTheStepNeeds() {
        // 1 req/s of treatment for an hour: 3,600 requests at a 1 % base rate cannot show a 0.5 pp margin
        RolloutPolicy one = new RolloutPolicy(List.of(ERRORS), 2_000, Duration.ofMinutes(5), Duration.ofHours(1));
        Verdict verdict = GuardFamily.judge(one, List.of(reading(ERRORS, step(Duration.ofHours(1),
                new Counts(356_400, 3_564), new Counts(3_600, 36)))));

        assertThat(verdict).isInstanceOf(Verdict.Hold.class);
        assertThat(verdict.evidence().forecast().moreTreatmentRequests()).isBetween(1_000L, 20_000L);
        assertThat(verdict.evidence().forecast().treatmentRequestsPerSecond()).isEqualTo(1.0);
        assertThat(verdict.evidence().forecast().seconds()).isEqualTo(verdict.evidence().forecast().moreTreatmentRequests());
        assertThat(verdict.evidence().summary()).matches(".*; needs about [0-9,]+ more requests, [0-9.]+ (min|h) at the current 1 req/s");
    }

    @Test
    void aPlanWithoutAnActingGuardIsRefused() {
        assertThatThrownBy(() -> new RolloutPolicy(List.of(new GuardRule("a", "ratio", 1, 0.95, false)), 0,
                Duration.ZERO, Duration.ofHours(1))).hasMessageContaining("at least one guard must act");
    }

    private static GuardReading reading(GuardRule guard, Counts control, Counts treatment) {
        return reading(guard, step(Duration.ofMinutes(10), control, treatment));
    }

    private static GuardReading reading(GuardRule guard, StepObservation observation) {
        return new GuardReading(guard, observation, null);
    }

    private static StepObservation step(Duration elapsed, Counts control, Counts treatment) {
        return StepObservation.withConcurrentControl(1, 0, 1, STEP_START, STEP_START.plus(elapsed), control, treatment);
    }
}
