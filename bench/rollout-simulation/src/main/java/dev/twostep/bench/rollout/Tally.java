package dev.twostep.bench.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import static dev.twostep.bench.rollout.RolloutResult.Outcome.COMPLETED;
import static dev.twostep.bench.rollout.RolloutResult.Outcome.HELD_INCONCLUSIVE;
import static dev.twostep.bench.rollout.RolloutResult.Outcome.HELD_TOO_FEW_REQUESTS;
import static dev.twostep.bench.rollout.RolloutResult.Outcome.ROLLED_BACK;

/** What a scenario's rollouts came to under one analyzer. */
record Tally(List<RolloutResult> results) {

    int count(RolloutResult.Outcome outcome) {
        return (int) results.stream().filter(result -> result.outcome() == outcome).count();
    }

    double share(RolloutResult.Outcome outcome) {
        return (double) count(outcome) / results.size();
    }

    /** Rollbacks while the audience was still the plan's first step. */
    int rolledBackInFirstStep() {
        return (int) results.stream().filter(result -> result.outcome() == ROLLED_BACK && result.step() == 0)
                .count();
    }

    double rolledBack() {
        return share(ROLLED_BACK);
    }

    /** The median exposure before a rollback, or -1 when nothing rolled back. */
    long medianTreatmentRequestsToRollback() {
        return median(ROLLED_BACK, RolloutResult::treatmentRequests);
    }

    String rolledBackText() {
        return shareText(ROLLED_BACK);
    }

    String completedText() {
        return shareText(COMPLETED);
    }

    String heldText() {
        return shareText(HELD_TOO_FEW_REQUESTS) + " / " + shareText(HELD_INCONCLUSIVE);
    }

    String medianTreatmentRequestsToRollbackText() {
        long median = medianTreatmentRequestsToRollback();
        return median < 0 ? "-" : String.format(Locale.ROOT, "%,d", median);
    }

    String medianTimeText(RolloutResult.Outcome outcome) {
        long seconds = median(outcome, result -> result.elapsed().toSeconds());
        return seconds < 0 ? "-" : minutes(Duration.ofSeconds(seconds));
    }

    private String shareText(RolloutResult.Outcome outcome) {
        return String.format(Locale.ROOT, "%.2f%% (%d)", share(outcome) * 100, count(outcome));
    }

    private long median(RolloutResult.Outcome outcome, ToLongFunction<RolloutResult> value) {
        long[] sorted = results.stream().filter(result -> result.outcome() == outcome).mapToLong(value).sorted()
                .toArray();
        if (sorted.length == 0) {
            return -1;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String minutes(Duration duration) {
        return String.format(Locale.ROOT, "%.1f min", duration.toSeconds() / 60.0);
    }
}
