package dev.twostep.bench.rollout;

import java.util.List;
import java.util.Locale;

/**
 * Whether the always-valid claim holds where it is hardest: a treatment exactly at the guard, so that rolling
 * back and advancing are both wrong, over several base error rates and traffic levels. The bounds rest on a
 * normal approximation; with few requests or rare errors it could fail, and this table would show it. Only the
 * first step is counted, where each wrong answer is one side of one sequence and must stay within α.
 */
final class ValidityAtTheGuard {

    private static final List<Double> BASE_RATES = List.of(0.001, 0.005, 0.01, 0.02, 0.05);
    private static final List<Integer> REQUESTS_PER_SECOND = List.of(20, 100, 1_000, 10_000);
    private static final int ROLLOUTS = 1_000;

    private ValidityAtTheGuard() {
    }

    static void print(TwostepAnalyzer twostep) {
        double margin = twostep.policy().maxIncreaseAsProportion();
        double alpha = twostep.policy().alpha();
        System.out.printf(Locale.ROOT, """
                ## Validity at the guard: treatment = control + %s pp, first step only, %,d rollouts per cell

                | base error rate | req/s | rolled back in the first step | advanced from the first step | \
                held in the first step |
                |---:|---:|---:|---:|---:|
                """, twostep.policy().maxIncrease(), ROLLOUTS);
        long seed = 100;
        int cells = 0;
        int cellsOverAlpha = 0;
        for (double baseRate : BASE_RATES) {
            for (int requestsPerSecond : REQUESTS_PER_SECOND) {
                Scenario scenario = new Scenario("at the guard", new Traffic(requestsPerSecond, baseRate,
                        baseRate + margin), ROLLOUTS, seed++);
                List<RolloutResult> results = scenario.runWith(twostep);
                long rolledBack = results.stream().filter(result -> result.step() == 0
                        && result.outcome() == RolloutResult.Outcome.ROLLED_BACK).count();
                long advanced = results.stream().filter(result -> result.step() > 0
                        || result.outcome() == RolloutResult.Outcome.COMPLETED).count();
                long held = ROLLOUTS - rolledBack - advanced;
                cells++;
                if (rolledBack > alpha * ROLLOUTS || advanced > alpha * ROLLOUTS) {
                    cellsOverAlpha++;
                }
                System.out.printf(Locale.ROOT, "| %.1f%% | %,d | %s | %s | %s |%n", baseRate * 100, requestsPerSecond,
                        share(rolledBack), share(advanced), share(held));
            }
        }
        System.out.printf(Locale.ROOT, "%n- cells where a wrong answer exceeds alpha = %.0f%%: %d of %d%n%n",
                alpha * 100, cellsOverAlpha, cells);
    }

    private static String share(long count) {
        return String.format(Locale.ROOT, "%.1f%% (%d)", 100.0 * count / ROLLOUTS, count);
    }
}
