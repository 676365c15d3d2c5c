package dev.twostep.bench.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One analysis setting for a fleet of services whose normal error rates differ, which is how a platform team
 * uses it: a Flagger {@code MetricTemplate} threshold or a Twostep guard is written once and shared. The fleet
 * has services at 0.5 %, 1 % and 2 % base error rates at 1,000 req/s; each is rolled out healthy (treatment =
 * control) and regressed (+1 pp), on the same seeded traffic for every analyzer. A fixed threshold must sit
 * above the highest healthy rate to spare it and below the lowest regressed rate to catch it, and here those
 * overlap; a comparison with the concurrent control needs no such choice.
 */
final class FleetComparison {

    private static final List<Double> BASE_RATES = List.of(0.005, 0.01, 0.02);
    private static final double REGRESSION = 0.01;
    private static final int ROLLOUTS_PER_SERVICE = 500;

    private final List<Scenario> healthy = new ArrayList<>();
    private final List<Scenario> regressed = new ArrayList<>();

    FleetComparison() {
        long seed = 100;
        for (double base : BASE_RATES) {
            healthy.add(new Scenario(percent(base) + " vs " + percent(base), new Traffic(1_000, base, base),
                    ROLLOUTS_PER_SERVICE, seed++));
            regressed.add(new Scenario(percent(base + REGRESSION) + " vs " + percent(base),
                    new Traffic(1_000, base, base + REGRESSION), ROLLOUTS_PER_SERVICE, seed++));
        }
    }

    /** What one analyzer did across the whole fleet. */
    record FleetResult(String analyzer, double falseRollbacks, double detection, long medianExposure,
                       int regressionsPromoted, List<Tally> healthy, List<Tally> regressed) {
    }

    FleetResult run(Analyzer analyzer) {
        List<Tally> healthyTallies = healthy.stream().map(scenario -> new Tally(scenario.runWith(analyzer))).toList();
        List<Tally> regressedTallies = regressed.stream().map(scenario -> new Tally(scenario.runWith(analyzer)))
                .toList();
        Tally allHealthy = new Tally(healthyTallies.stream().flatMap(tally -> tally.results().stream()).toList());
        Tally allRegressed = new Tally(regressedTallies.stream().flatMap(tally -> tally.results().stream()).toList());
        return new FleetResult(analyzer.name(), allHealthy.rolledBack(), allRegressed.rolledBack(),
                allRegressed.medianTreatmentRequestsToRollback(), allRegressed.count(RolloutResult.Outcome.COMPLETED),
                healthyTallies, regressedTallies);
    }

    void print(Analyzer twostep, List<FlaggerStyleAnalyzer> flaggerGrid) {
        System.out.printf(Locale.ROOT, """
                ## A fleet with one setting: services at %s base error rates

                1,000 req/s each; %,d healthy and %,d regressed (+%s) rollouts per service, the same traffic for \
                every analyzer. False rollbacks are over all healthy rollouts, detection over all regressed ones.

                | analyzer | false rollbacks | detection | regressions promoted to 100%% | median treatment requests \
                to rollback | %s |
                |---|---:|---:|---:|---:|---|
                """, String.join(", ", BASE_RATES.stream().map(FleetComparison::percent).toList()),
                ROLLOUTS_PER_SERVICE, ROLLOUTS_PER_SERVICE, percent(REGRESSION).replace("%", " pp"),
                "rolled back per service, healthy / regressed");
        FleetResult ours = run(twostep);
        printRow(ours);
        List<FleetResult> flagger = flaggerGrid.stream().map(this::run).toList();
        flagger.forEach(FleetComparison::printRow);

        Optional<FleetResult> best = flagger.stream().filter(result -> result.falseRollbacks() <= 0.01)
                .max(Comparator.comparingDouble(FleetResult::detection));
        long matching = flagger.stream().filter(result -> result.falseRollbacks() <= ours.falseRollbacks()
                && result.detection() >= ours.detection()).count();
        System.out.println();
        System.out.printf(Locale.ROOT, "- Twostep: %.2f%% false rollbacks, %.2f%% detection%n",
                ours.falseRollbacks() * 100, ours.detection() * 100);
        System.out.println(best.map(result -> String.format(Locale.ROOT,
                        "- best Flagger-style setting with at most 1%% false rollbacks: %s, %.2f%% false rollbacks, "
                                + "%.2f%% detection -> Twostep is %s on false rollbacks and %s on detection",
                        result.analyzer(), result.falseRollbacks() * 100, result.detection() * 100,
                        RolloutSimulation.comparison(ours.falseRollbacks(), result.falseRollbacks(), false),
                        RolloutSimulation.comparison(ours.detection(), result.detection(), true)))
                .orElse("- no Flagger-style setting keeps false rollbacks at or below 1% across the fleet"));
        System.out.printf(Locale.ROOT, "- Flagger-style settings at least as good as Twostep on both: %d of %d%n%n",
                matching, flagger.size());
    }

    private static void printRow(FleetResult result) {
        List<String> perService = new ArrayList<>();
        for (int i = 0; i < BASE_RATES.size(); i++) {
            perService.add(percent(BASE_RATES.get(i)) + ": " + share(result.healthy().get(i).rolledBack()) + " / "
                    + share(result.regressed().get(i).rolledBack()));
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %,d | %s | %s |%n", result.analyzer(),
                share(result.falseRollbacks()), share(result.detection()), result.regressionsPromoted(),
                result.medianExposure() < 0 ? "-" : String.format(Locale.ROOT, "%,d", result.medianExposure()),
                String.join("; ", perService));
    }

    private static String share(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100).replace(".0%", "%");
    }
}
