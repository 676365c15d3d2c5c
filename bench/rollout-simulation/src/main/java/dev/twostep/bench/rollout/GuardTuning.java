package dev.twostep.bench.rollout;

import dev.twostep.rolloutanalyzer.decision.Policy;

import java.util.List;
import java.util.Locale;

import static dev.twostep.bench.rollout.RolloutResult.Outcome.COMPLETED;

/**
 * The Flagger-style threshold is tuned on the very rollouts it is scored on; this does the same for Twostep's
 * guard, to show what a plan buys and pays with a tighter {@code maxIncrease} or a lower confidence: earlier
 * rollbacks against more evidence needed, and so more time, before a healthy step may advance.
 */
final class GuardTuning {

    private static final List<Double> MAX_INCREASES = List.of(0.2, 0.25, 0.3, 0.5);
    private static final List<Double> CONFIDENCES = List.of(0.90, 0.95);

    private GuardTuning() {
    }

    static void print(Policy plan, List<Double> steps, Scenario healthy, Scenario regressed, Tally flaggerHealthy,
                      Tally flaggerRegressed, String flaggerName) {
        System.out.printf(Locale.ROOT, """
                ## Guard tuning: Twostep's maxIncrease and confidence on the same two scenarios

                | maxIncrease | confidence | false rollbacks | healthy completed | median time to complete | \
                detection | median treatment requests to rollback |
                |---:|---:|---:|---:|---:|---:|---:|
                | %s | | %s | %s | %s | %s | %s |
                """, flaggerName, flaggerHealthy.rolledBackText(), flaggerHealthy.completedText(),
                flaggerHealthy.medianTimeText(COMPLETED), flaggerRegressed.rolledBackText(),
                flaggerRegressed.medianTreatmentRequestsToRollbackText());
        for (double maxIncrease : MAX_INCREASES) {
            for (double confidence : CONFIDENCES) {
                Policy policy = new Policy(maxIncrease, confidence, plan.minRequestsPerStep(), plan.minStepDuration(),
                        plan.maxStepDuration());
                TwostepAnalyzer twostep = new TwostepAnalyzer(policy, steps);
                Tally healthyTally = new Tally(healthy.runWith(twostep));
                Tally regressedTally = new Tally(regressed.runWith(twostep));
                System.out.printf(Locale.ROOT, "| %.2f pp | %.0f%% | %s | %s | %s | %s | %s |%n", maxIncrease,
                        confidence * 100, healthyTally.rolledBackText(), healthyTally.completedText(),
                        healthyTally.medianTimeText(COMPLETED), regressedTally.rolledBackText(),
                        regressedTally.medianTreatmentRequestsToRollbackText());
            }
        }
        System.out.println();
    }
}
