package dev.twostep.bench.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A fixed-threshold canary analysis as Flagger runs it (fluxcd/flagger, pkg/controller/scheduler.go):
 * <ul>
 *   <li>every analysis interval (Flagger's default, one minute) it reads the treatment's error rate over the
 *       last interval and compares it with a fixed maximum; no values (no treatment requests) is a failure
 *       too, as Flagger's "no values found" is;</li>
 *   <li>a failed check adds one to the failed-checks counter and keeps the weight; the counter is never reset
 *       by later passing checks, only by a new revision;</li>
 *   <li>a passing check moves to the next step weight, or promotes when the last step has passed;</li>
 *   <li>at the start of each tick, before the analysis, a counter at the threshold rolls back.</li>
 * </ul>
 * It sees the very same batches as the Twostep judge at the same audience (see {@link Traffic#batch}).
 *
 * @param maxErrorRate the highest tolerated treatment error rate, as a proportion
 * @param failureLimit Flagger's {@code analysis.threshold}: failed checks before rollback
 */
record FlaggerStyleAnalyzer(double maxErrorRate, int failureLimit, List<Double> steps) implements Analyzer {

    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int BATCHES_PER_INTERVAL = (int) (INTERVAL.toSeconds() / Traffic.BATCH.toSeconds());

    @Override
    public String name() {
        return String.format(Locale.ROOT, "Flagger-style (error rate > %.2f%%, %d failed checks)",
                maxErrorRate * 100, failureLimit);
    }

    @Override
    public RolloutResult run(Traffic traffic, long rolloutSeed) {
        int step = 0;
        int failedChecks = 0;
        long exposure = 0;
        int batchIndex = 0;
        while (true) {
            // The traffic of one interval flows at the current weight until the next tick.
            long requests = 0;
            long errors = 0;
            for (int i = 0; i < BATCHES_PER_INTERVAL; i++) {
                Traffic.Batch batch = traffic.batch(rolloutSeed, batchIndex++, steps.get(step));
                requests += batch.treatmentRequests();
                errors += batch.treatmentErrors();
            }
            exposure += requests;
            // Flagger compares the counter with the threshold at the start of a tick, before it analyses, so
            // the rollback comes one interval after the failure that reached the threshold.
            if (failedChecks >= failureLimit) {
                return new RolloutResult(RolloutResult.Outcome.ROLLED_BACK, step, exposure,
                        Traffic.BATCH.multipliedBy(batchIndex));
            }
            boolean passed = requests > 0 && (double) errors / requests <= maxErrorRate;
            if (!passed) {
                failedChecks++;
            } else if (step == steps.size() - 1) {
                return new RolloutResult(RolloutResult.Outcome.COMPLETED, step, exposure,
                        Traffic.BATCH.multipliedBy(batchIndex));
            } else {
                step++;
            }
        }
    }
}
