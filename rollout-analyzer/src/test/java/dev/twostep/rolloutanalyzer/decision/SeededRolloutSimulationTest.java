package dev.twostep.rolloutanalyzer.decision;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judge looks after every 10-second batch, so a sequence that was only valid for one look would show
 * here as a false rollback rate far above its α. A small, seeded version of bench/rollout-simulation, through
 * the same {@link GuardFamily} the analyzer runs, with one guard or two.
 *
 * <p>Two guards draw their bad requests independently. Real latency and errors are correlated; the Bonferroni
 * split does not depend on that, and independent guards are the case where a family's false alarms add up most.
 */
class SeededRolloutSimulationTest {

    private static final List<Double> STEPS = List.of(1.0, 5.0, 25.0, 50.0, 100.0);
    private static final Policy POLICY = new Policy(0.5, 0.95, 2_000, Duration.ofMinutes(5), Duration.ofHours(1));
    private static final RolloutPolicy ONE_GUARD = RolloutPolicy.of(POLICY);
    private static final RolloutPolicy TWO_GUARDS = new RolloutPolicy(List.of(
            new GuardRule("errorRate", "errorRate", 0.5, 0.95, true),
            new GuardRule("latency", "latency", 0.5, 0.95, true)),
            2_000, Duration.ofMinutes(5), Duration.ofHours(1));
    private static final int REQUESTS_PER_BATCH = 10_000;
    private static final Duration BATCH = Duration.ofSeconds(10);
    private static final int ROLLOUTS = 200;
    private static final int FAMILY_ROLLOUTS = 2_000;

    enum Outcome { COMPLETED, ROLLED_BACK, HELD }

    /** The bad share of one guard's requests in each arm. */
    record Rates(double control, double treatment) {
    }

    /**
     * @param exposure         treatment requests served until the rollout ended
     * @param decidedBy        the guard that decided the last step
     * @param forecastAccuracy per step that advanced: its realised duration divided by the forecast made at its
     *                         first look that had treatment traffic
     */
    record Result(Outcome outcome, long exposure, String decidedBy, List<Double> forecastAccuracy) {
    }

    @Test
    void healthyRolloutsCompleteAndAreRarelyRolledBackAndRegressionsAreCaught() {
        int falseRollbacks = 0;
        int completions = 0;
        int detections = 0;
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            Outcome healthy = simulate(new SplittableRandom(rollout), ONE_GUARD, new Rates(0.01, 0.01)).outcome();
            falseRollbacks += healthy == Outcome.ROLLED_BACK ? 1 : 0;
            completions += healthy == Outcome.COMPLETED ? 1 : 0;
            if (simulate(new SplittableRandom(1_000_000 + rollout), ONE_GUARD, new Rates(0.01, 0.02)).outcome()
                    == Outcome.ROLLED_BACK) {
                detections++;
            }
        }

        assertThat(falseRollbacks).as("false rollbacks of %d healthy rollouts", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 2 / 100);
        // A judge that never advanced would pass the line above; healthy rollouts must also get to 100 %.
        assertThat(completions).as("completions of %d healthy rollouts", ROLLOUTS).isGreaterThanOrEqualTo(ROLLOUTS * 95 / 100);
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
            Outcome outcome = simulate(new SplittableRandom(2_000_000 + rollout), ONE_GUARD, new Rates(0.01, 0.015))
                    .outcome();
            rollbacks += outcome == Outcome.ROLLED_BACK ? 1 : 0;
            completions += outcome == Outcome.COMPLETED ? 1 : 0;
        }

        assertThat(rollbacks).as("rollbacks of %d rollouts at the guard", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 5 / 100);
        assertThat(completions).as("completions of %d rollouts at the guard", ROLLOUTS).isLessThanOrEqualTo(ROLLOUTS * 5 / 100);
    }

    /**
     * Two acting guards, each at α/2: over 2,000 healthy rollouts the family rolls back at most α = 5 % of them
     * (either guard counts), and nearly all complete.
     */
    @Test
    void twoGuardsTogetherKeepTheFamilysFalseRollbacksWithinAlpha() {
        int falseRollbacks = 0;
        int completions = 0;
        for (int rollout = 0; rollout < FAMILY_ROLLOUTS; rollout++) {
            Outcome outcome = simulate(new SplittableRandom(3_000_000 + rollout), TWO_GUARDS,
                    new Rates(0.01, 0.01), new Rates(0.01, 0.01)).outcome();
            falseRollbacks += outcome == Outcome.ROLLED_BACK ? 1 : 0;
            completions += outcome == Outcome.COMPLETED ? 1 : 0;
        }

        assertThat(falseRollbacks).as("rollbacks of %d healthy two-guard rollouts", FAMILY_ROLLOUTS)
                .isLessThanOrEqualTo(FAMILY_ROLLOUTS * 5 / 100);
        assertThat(completions).as("completions of %d healthy two-guard rollouts", FAMILY_ROLLOUTS)
                .isGreaterThanOrEqualTo(FAMILY_ROLLOUTS * 95 / 100);
    }

    /**
     * A latency regression (the share of requests over the threshold from 1 % to 2 %) next to healthy errors is
     * caught by the latency guard as an error-rate regression of the same size is caught alone: in at least 95 %
     * of rollouts, within the exposure that catches 95 % of the error-rate regressions, allowing for the price of
     * the split α (at most 25 % more treatment requests).
     */
    @Test
    void aLatencyRegressionIsCaughtWithinTheExposureOfAnErrorRegressionOfTheSameSize() {
        long[] errorExposures = new long[ROLLOUTS];
        int latencyCaughtByLatency = 0;
        long[] latencyExposures = new long[ROLLOUTS];
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            Result errors = simulate(new SplittableRandom(4_000_000 + rollout), ONE_GUARD, new Rates(0.01, 0.02));
            errorExposures[rollout] = errors.outcome() == Outcome.ROLLED_BACK ? errors.exposure() : Long.MAX_VALUE;
            Result latency = simulate(new SplittableRandom(5_000_000 + rollout), TWO_GUARDS,
                    new Rates(0.01, 0.01), new Rates(0.01, 0.02));
            boolean caught = latency.outcome() == Outcome.ROLLED_BACK && "latency".equals(latency.decidedBy());
            latencyCaughtByLatency += caught ? 1 : 0;
            latencyExposures[rollout] = caught ? latency.exposure() : Long.MAX_VALUE;
        }
        long errorExposure95 = percentile(errorExposures, 0.95);

        assertThat(latencyCaughtByLatency).as("latency regressions rolled back by the latency guard")
                .isGreaterThanOrEqualTo(ROLLOUTS * 95 / 100);
        assertThat(percentile(latencyExposures, 0.95)).as("95th percentile of treatment requests to the rollback, "
                + "against %,d for the error-rate regression alone", errorExposure95)
                .isLessThanOrEqualTo(errorExposure95 * 5 / 4);
    }

    /**
     * The hold forecast against the time steps really took. At 200 req/s (2 req/s of treatment at the 1 % step)
     * healthy steps are slow enough for the forecast to matter; its median over the steps that advanced must lie
     * within a factor of 2 of the realised time.
     */
    @Test
    void theForecastIsWithinAFactorOfTwoOfTheTimeAStepTakes() {
        List<Double> accuracy = new ArrayList<>();
        RolloutPolicy patient = new RolloutPolicy(ONE_GUARD.guards(), 500, Duration.ofMinutes(1), Duration.ofHours(12));
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            accuracy.addAll(simulate(new SplittableRandom(6_000_000 + rollout), patient, 2_000,
                    List.of(new Rates(0.01, 0.01))).forecastAccuracy());
        }
        double median = accuracy.stream().sorted().toList().get(accuracy.size() / 2);

        assertThat(accuracy).hasSizeGreaterThan(ROLLOUTS);
        assertThat(median).as("median of realised / forecast step time").isBetween(0.5, 2.0);
    }

    private static Result simulate(SplittableRandom random, RolloutPolicy policy, Rates... guards) {
        return simulate(random, policy, REQUESTS_PER_BATCH, List.of(guards));
    }

    /** One rollout through the plan, judged after every batch, until it completes, rolls back or holds. */
    private static Result simulate(SplittableRandom random, RolloutPolicy policy, int requestsPerBatch,
                                   List<Rates> rates) {
        int guards = rates.size();
        Instant stepStart = Instant.EPOCH;
        Instant now = stepStart;
        Counts[] previousStepsControl = filled(guards);
        long exposure = 0;
        List<Double> forecastAccuracy = new ArrayList<>();
        for (int step = 0; step < STEPS.size(); step++) {
            double percent = STEPS.get(step);
            Counts[] control = filled(guards);
            Counts[] treatment = filled(guards);
            Forecast firstForecast = null;
            Verdict verdict;
            do {
                long treatmentRequests = Math.round(requestsPerBatch * percent / 100);
                long controlRequests = requestsPerBatch - treatmentRequests;
                exposure += treatmentRequests;
                now = now.plus(BATCH);
                double from = step == 0 ? 0 : STEPS.get(step - 1);
                List<GuardReading> readings = new ArrayList<>();
                for (int g = 0; g < guards; g++) {
                    treatment[g] = add(treatment[g], treatmentRequests,
                            binomial(random, treatmentRequests, rates.get(g).treatment()));
                    control[g] = add(control[g], controlRequests, binomial(random, controlRequests, rates.get(g).control()));
                    StepObservation observation = percent >= 100
                            ? StepObservation.atFullRollout(step, from, stepStart, now, treatment[g], previousStepsControl[g])
                            : StepObservation.withConcurrentControl(step, from, percent, stepStart, now, control[g],
                            treatment[g]);
                    readings.add(new GuardReading(policy.guards().get(g), observation, null));
                }
                verdict = GuardFamily.judge(policy, readings);
                if (firstForecast == null && verdict.evidence().forecast() != null) {
                    firstForecast = verdict.evidence().forecast();
                }
            } while (verdict instanceof Verdict.KeepWatching);
            String decidedBy = verdict.evidence().decidedBy();
            switch (verdict) {
                case Verdict.Rollback rollback -> {
                    return new Result(Outcome.ROLLED_BACK, exposure, decidedBy, forecastAccuracy);
                }
                case Verdict.Hold hold -> {
                    return new Result(Outcome.HELD, exposure, decidedBy, forecastAccuracy);
                }
                case Verdict.Advance advance -> {
                    if (firstForecast != null && firstForecast.seconds() != null && firstForecast.seconds() > 0) {
                        // The forecast was made one batch into the step; the realised time counts from there too.
                        double realised = Duration.between(stepStart, now).minus(BATCH).toSeconds();
                        forecastAccuracy.add(realised / firstForecast.seconds());
                    }
                    for (int g = 0; g < guards; g++) {
                        previousStepsControl[g] = add(previousStepsControl[g], control[g].requests(), control[g].errors());
                    }
                    stepStart = now;
                }
                case Verdict.KeepWatching watching -> throw new IllegalStateException("the loop ends on a decision");
            }
        }
        return new Result(Outcome.COMPLETED, exposure, null, forecastAccuracy);
    }

    private static Counts[] filled(int guards) {
        Counts[] counts = new Counts[guards];
        Arrays.fill(counts, new Counts(0, 0));
        return counts;
    }

    private static long percentile(long[] values, double share) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(share * sorted.length) - 1];
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
