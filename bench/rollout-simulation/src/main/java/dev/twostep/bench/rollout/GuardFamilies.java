package dev.twostep.bench.rollout;

import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.events.RolloutDecisionEvent.Forecast;
import dev.twostep.rolloutanalyzer.decision.GuardFamily;
import dev.twostep.rolloutanalyzer.decision.GuardReading;
import dev.twostep.rolloutanalyzer.decision.GuardRule;
import dev.twostep.rolloutanalyzer.decision.RolloutPolicy;
import dev.twostep.rolloutanalyzer.decision.StepObservation;
import dev.twostep.rolloutanalyzer.decision.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Guards of several kinds through the real {@link GuardFamily}: the family's false rollbacks with one and two acting
 * guards (the Bonferroni split), a latency regression beside healthy errors against an error regression alone, and
 * the hold forecast against the time steps really took. Each guard's bad requests are drawn from its own stream
 * ({@link Traffic} seeded apart), so the two guards are independent, the case where a family's false alarms add up
 * most. Prints Markdown.
 */
public final class GuardFamilies {

    private static final List<Double> STEPS = List.of(1.0, 5.0, 25.0, 50.0, 100.0);
    private static final GuardRule ERRORS = new GuardRule("errorRate", "errorRate", 0.5, 0.95, true);
    private static final GuardRule LATENCY = new GuardRule("latency", "latency", 0.5, 0.95, true);
    private static final int ROLLOUTS = 2_000;

    private GuardFamilies() {
    }

    record Outcome(String end, String decidedBy, long exposure, Duration elapsed, List<Double> forecastAccuracy) {
    }

    public static void main(String[] args) {
        RolloutPolicy one = policy(List.of(ERRORS), Duration.ofHours(1));
        RolloutPolicy two = policy(List.of(ERRORS, LATENCY), Duration.ofHours(1));
        System.out.println("## Guards of several kinds (GuardFamilies)\n");
        System.out.println("| scenario | guards | rollouts | rolled back | completed | held | median treatment requests to rollback | p95 | median time to complete |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        row("healthy, 1,000 req/s, both 1% vs 1%", "errorRate", one, 1_000, 0.01, 0.01, 0);
        row("healthy, 1,000 req/s, both 1% vs 1%", "errorRate + latency", two, 1_000, 0.01, 0.01, 0.01);
        row("errors regressed 1% to 2%, 1,000 req/s", "errorRate", one, 1_000, 0.01, 0.02, 0);
        row("latency regressed 1% to 2% over the threshold, errors healthy, 1,000 req/s", "errorRate + latency",
                two, 1_000, 0.01, 0.01, 0.02);
        row("both at the latency guard (+0.5 pp), errors healthy, 1,000 req/s", "errorRate + latency", two, 1_000,
                0.01, 0.01, 0.015);
        System.out.println();
        System.out.println("## Hold forecast against the realised step time (healthy, one guard, maxStepDuration 12 h)\n");
        System.out.println("| traffic | steps | median realised / forecast | p10 | p90 |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int requestsPerSecond : new int[] {20, 100, 1_000}) {
            List<Double> accuracy = new ArrayList<>();
            for (int rollout = 0; rollout < 500; rollout++) {
                accuracy.addAll(simulate(policy(List.of(ERRORS), Duration.ofHours(12)), requestsPerSecond, 0.01, 0.01,
                        0, 9_000_000L + rollout).forecastAccuracy());
            }
            double[] sorted = accuracy.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %,d req/s | %,d | %.2f | %.2f | %.2f |%n", requestsPerSecond, sorted.length,
                    quantile(sorted, 0.5), quantile(sorted, 0.1), quantile(sorted, 0.9));
        }
    }

    private static RolloutPolicy policy(List<GuardRule> guards, Duration maxStepDuration) {
        return new RolloutPolicy(guards, 2_000, Duration.ofMinutes(5), maxStepDuration);
    }

    private static void row(String scenario, String guards, RolloutPolicy policy, int requestsPerSecond,
                            double controlRate, double errorRate, double latencyRate) {
        int rolledBack = 0;
        int completed = 0;
        int held = 0;
        List<Long> exposures = new ArrayList<>();
        List<Long> completions = new ArrayList<>();
        for (int rollout = 0; rollout < ROLLOUTS; rollout++) {
            Outcome outcome = simulate(policy, requestsPerSecond, controlRate, errorRate, latencyRate, rollout);
            switch (outcome.end()) {
                case "rollback" -> {
                    rolledBack++;
                    exposures.add(outcome.exposure());
                }
                case "completed" -> {
                    completed++;
                    completions.add(outcome.elapsed().toSeconds());
                }
                default -> held++;
            }
        }
        double[] exposure = exposures.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        double[] completion = completions.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.2f%% (%d) | %.2f%% (%d) | %d | %s | %s | %s |%n", scenario,
                guards, ROLLOUTS, 100.0 * rolledBack / ROLLOUTS, rolledBack, 100.0 * completed / ROLLOUTS, completed,
                held, exposure.length == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", quantile(exposure, 0.5)),
                exposure.length == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", quantile(exposure, 0.95)),
                completion.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f min", quantile(completion, 0.5) / 60));
    }

    /** One rollout: the error-rate guard and, when the policy has it, the latency guard, judged after every batch. */
    private static Outcome simulate(RolloutPolicy policy, int requestsPerSecond, double controlRate, double errorRate,
                                    double latencyRate, long seed) {
        List<Traffic> guards = new ArrayList<>(List.of(new Traffic(requestsPerSecond, controlRate, errorRate)));
        if (policy.guards().size() > 1) {
            guards.add(new Traffic(requestsPerSecond, controlRate, latencyRate));
        }
        Instant start = Instant.EPOCH;
        Instant stepStart = start;
        Counts[] pooled = zeros(guards.size());
        long exposure = 0;
        int batchIndex = 0;
        List<Double> accuracy = new ArrayList<>();
        for (int step = 0; step < STEPS.size(); step++) {
            double percent = STEPS.get(step);
            double from = step == 0 ? 0 : STEPS.get(step - 1);
            Counts[] control = zeros(guards.size());
            Counts[] treatment = zeros(guards.size());
            Forecast first = null;
            Instant firstAt = null;
            Verdict verdict;
            Instant now;
            do {
                List<GuardReading> readings = new ArrayList<>();
                now = start.plus(Traffic.BATCH.multipliedBy(batchIndex + 1));
                for (int g = 0; g < guards.size(); g++) {
                    Traffic.Batch batch = guards.get(g).batch(seed * 7 + g, batchIndex, percent);
                    control[g] = add(control[g], batch.controlRequests(), batch.controlErrors());
                    treatment[g] = add(treatment[g], batch.treatmentRequests(), batch.treatmentErrors());
                    if (g == 0) {
                        exposure += batch.treatmentRequests();
                    }
                    StepObservation observation = percent >= 100
                            ? StepObservation.atFullRollout(step, from, stepStart, now, treatment[g], pooled[g])
                            : StepObservation.withConcurrentControl(step, from, percent, stepStart, now, control[g],
                            treatment[g]);
                    readings.add(new GuardReading(policy.guards().get(g), observation, null));
                }
                batchIndex++;
                verdict = GuardFamily.judge(policy, readings);
                if (first == null && verdict.evidence().forecast() != null
                        && verdict.evidence().forecast().seconds() != null) {
                    first = verdict.evidence().forecast();
                    firstAt = now;
                }
            } while (verdict instanceof Verdict.KeepWatching);
            Duration elapsed = Duration.between(start, now);
            switch (verdict) {
                case Verdict.Rollback rollback -> {
                    return new Outcome("rollback", verdict.evidence().decidedBy(), exposure, elapsed, accuracy);
                }
                case Verdict.Hold hold -> {
                    return new Outcome("hold", verdict.evidence().decidedBy(), exposure, elapsed, accuracy);
                }
                case Verdict.Advance advance -> {
                    if (first != null && first.seconds() > 0) {
                        accuracy.add(Duration.between(firstAt, now).toSeconds() / (double) first.seconds());
                    }
                    for (int g = 0; g < guards.size(); g++) {
                        pooled[g] = add(pooled[g], control[g].requests(), control[g].errors());
                    }
                    stepStart = now;
                }
                case Verdict.KeepWatching watching -> throw new IllegalStateException("the loop ends on a decision");
            }
        }
        return new Outcome("completed", null, exposure, Duration.between(start, stepStart), accuracy);
    }

    private static Counts[] zeros(int size) {
        Counts[] counts = new Counts[size];
        Arrays.fill(counts, new Counts(0, 0));
        return counts;
    }

    private static Counts add(Counts counts, long requests, long errors) {
        return new Counts(counts.requests() + requests, counts.errors() + errors);
    }

    private static double quantile(double[] sorted, double share) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(share * sorted.length) - 1)];
    }
}
