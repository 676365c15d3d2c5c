package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judge looks after every 10-second batch, so a sequence that was only valid for one look would show
 * here as a false rollback rate far above its α. A small, seeded version of bench/rollout-simulation.
 */
class SeededRolloutSimulationTest {

    private static final List<Double> STEPS = List.of(1.0, 5.0, 25.0, 50.0, 100.0);
    private static final Policy POLICY = new Policy(0.5, 0.95, 2_000, Duration.ofMinutes(5), Duration.ofHours(1));
    private static final int REQUESTS_PER_BATCH = 10_000;
    private static final Duration BATCH = Duration.ofSeconds(10);
    private static final int ROLLOUTS = 200;

    enum Outcome { COMPLETED, ROLLED_BACK, HELD }

    @Test
    void healthyRolloutsAreRarelyRolledBackAndRegressionsAreCaught() {
        int falseRollbacks = 0;
        int detections = 0;
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            if (simulate(new SplittableRandom(rollout), 0.01, 0.01) == Outcome.ROLLED_BACK) {
                falseRollbacks++;
            }
            if (simulate(new SplittableRandom(1_000_000 + rollout), 0.01, 0.02) == Outcome.ROLLED_BACK) {
                detections++;
            }
        }

        assertThat(falseRollbacks).as("false rollbacks of %d healthy rollouts", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 2 / 100);
        assertThat(detections).as("detections of %d regressed rollouts", ROLLOUTS).isGreaterThanOrEqualTo(ROLLOUTS * 90 / 100);
    }

    /**
     * The hardest case for validity: a treatment exactly at the guard, where rolling back and advancing are
     * both wrong. Each is one side of the sequence, allowed at most α = 5 % however often the judge looks; a
     * fixed-sample test re-read after every batch would cross one side in a large share of these rollouts.
     */
    @Test
    void atTheGuardNeitherWrongAnswerExceedsAlpha() {
        int rollbacks = 0;
        int completions = 0;
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            Outcome outcome = simulate(new SplittableRandom(2_000_000 + rollout), 0.01, 0.015);
            rollbacks += outcome == Outcome.ROLLED_BACK ? 1 : 0;
            completions += outcome == Outcome.COMPLETED ? 1 : 0;
        }

        assertThat(rollbacks).as("rollbacks of %d rollouts at the guard", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 5 / 100);
        assertThat(completions).as("completions of %d rollouts at the guard", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 5 / 100);
    }

    /** One rollout through the plan, judged after every batch, until it completes, rolls back or holds. */
    private static Outcome simulate(SplittableRandom random, double controlErrorRate, double treatmentErrorRate) {
        Instant stepStart = Instant.EPOCH;
        Instant now = stepStart;
        Counts previousStepsControl = new Counts(0, 0);
        for (int step = 0; step < STEPS.size(); step++) {
            double percent = STEPS.get(step);
            Counts control = new Counts(0, 0);
            Counts treatment = new Counts(0, 0);
            Verdict verdict;
            do {
                long treatmentRequests = Math.round(REQUESTS_PER_BATCH * percent / 100);
                long controlRequests = REQUESTS_PER_BATCH - treatmentRequests;
                treatment = add(treatment, treatmentRequests, binomial(random, treatmentRequests, treatmentErrorRate));
                control = add(control, controlRequests, binomial(random, controlRequests, controlErrorRate));
                now = now.plus(BATCH);
                double from = step == 0 ? 0 : STEPS.get(step - 1);
                StepObservation observation = percent >= 100
                        ? StepObservation.atFullRollout(step, from, stepStart, now, treatment, previousStepsControl)
                        : StepObservation.withConcurrentControl(step, from, percent, stepStart, now, control, treatment);
                verdict = RolloutJudge.judge(POLICY, observation);
            } while (verdict instanceof Verdict.KeepWatching);
            switch (verdict) {
                case Verdict.Rollback rollback -> {
                    return Outcome.ROLLED_BACK;
                }
                case Verdict.Hold hold -> {
                    return Outcome.HELD;
                }
                case Verdict.Advance advance -> {
                    previousStepsControl = add(previousStepsControl, control.requests(), control.errors());
                    stepStart = now;
                }
                case Verdict.KeepWatching watching -> throw new IllegalStateException("the loop ends on a decision");
            }
        }
        return Outcome.COMPLETED;
    }

    private static Counts add(Counts counts, long requests, long errors) {
        return new Counts(counts.requests() + requests, counts.errors() + errors);
    }

    /** Exact Binomial(n, p) for small p: count the successes by jumping geometric gaps between them. */
    private static long binomial(SplittableRandom random, long trials, double probability) {
        double logOfMiss = Math.log1p(-probability);
        long successes = 0;
        long position = 0;
        while (true) {
            position += 1 + (long) Math.floor(Math.log(1 - random.nextDouble()) / logOfMiss);
            if (position > trials) {
                return successes;
            }
            successes++;
        }
    }
}
