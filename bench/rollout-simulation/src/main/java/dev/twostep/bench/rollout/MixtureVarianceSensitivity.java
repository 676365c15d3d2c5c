package dev.twostep.bench.rollout;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.decision.GuardBounds;
import dev.twostep.rolloutanalyzer.decision.Policy;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How the choice of τ² moves the decisions, with the statistic alone: the first step (1 %) at 1,000 req/s,
 * batches drawn as in the scenarios, the judge's two bound rules and none of its minimums, which would
 * otherwise hide the differences. The judge itself always uses τ² = maxIncrease².
 */
final class MixtureVarianceSensitivity {

    private static final List<Double> FACTORS = List.of(0.25, 0.5, 1.0, 2.0, 4.0);
    private static final double FIRST_STEP_PERCENT = 1;
    private static final int ROLLOUTS = 2_000;
    private static final Traffic HEALTHY = new Traffic(1_000, 0.01, 0.01);
    private static final Traffic REGRESSED = new Traffic(1_000, 0.01, 0.02);

    private MixtureVarianceSensitivity() {
    }

    /** The first bound to cross the guard, and the treatment requests seen by then. */
    private record Decision(boolean rolledBack, long treatmentRequests) {
    }

    static void print(Policy policy) {
        System.out.println("## Mixture variance: tau^2 as a multiple of maxIncrease^2 (first step, statistic only)\n");
        System.out.println("| tau^2 | regressed: rolled back | regressed: median treatment requests to rollback | "
                + "healthy: rolled back | healthy: median treatment requests until the upper bound is below the "
                + "guard |");
        System.out.println("|---|---:|---:|---:|---:|");
        double margin = policy.maxIncreaseAsProportion();
        for (double factor : FACTORS) {
            double tauSquared = factor * margin * margin;
            List<Decision> regressed = decisions(REGRESSED, 8, policy, tauSquared);
            List<Decision> healthy = decisions(HEALTHY, 9, policy, tauSquared);
            System.out.printf(Locale.ROOT, "| %.2f x maxIncrease^2 | %d of %,d | %,d | %d of %,d | %,d |%n", factor,
                    count(regressed, true), ROLLOUTS, median(regressed, true), count(healthy, true), ROLLOUTS,
                    median(healthy, false));
        }
        System.out.println();
    }

    private static List<Decision> decisions(Traffic traffic, long seed, Policy policy, double tauSquared) {
        return IntStream.range(0, ROLLOUTS).parallel()
                .mapToObj(index -> firstDecision(traffic, seed * 1_000_000 + index, policy, tauSquared))
                .toList();
    }

    private static Decision firstDecision(Traffic traffic, long rolloutSeed, Policy policy, double tauSquared) {
        double margin = policy.maxIncreaseAsProportion();
        Counts control = new Counts(0, 0);
        Counts treatment = new Counts(0, 0);
        for (int index = 0; ; index++) {
            Traffic.Batch batch = traffic.batch(rolloutSeed, index, FIRST_STEP_PERCENT);
            control = new Counts(control.requests() + batch.controlRequests(),
                    control.errors() + batch.controlErrors());
            treatment = new Counts(treatment.requests() + batch.treatmentRequests(),
                    treatment.errors() + batch.treatmentErrors());
            GuardBounds bounds = GuardBounds.of(control, treatment, margin, tauSquared, policy.alpha());
            if (bounds.lower() > margin || bounds.upper() < margin) {
                return new Decision(bounds.lower() > margin, treatment.requests());
            }
        }
    }

    private static long count(List<Decision> decisions, boolean rolledBack) {
        return decisions.stream().filter(decision -> decision.rolledBack() == rolledBack).count();
    }

    /** The lower median, of the decisions of one kind. */
    private static long median(List<Decision> decisions, boolean rolledBack) {
        long[] sorted = decisions.stream().filter(decision -> decision.rolledBack() == rolledBack)
                .mapToLong(Decision::treatmentRequests).sorted().toArray();
        return sorted[(sorted.length - 1) / 2];
    }
}
