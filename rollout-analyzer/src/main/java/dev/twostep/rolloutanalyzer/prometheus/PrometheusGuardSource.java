package dev.twostep.rolloutanalyzer.prometheus;

import dev.twostep.events.ReleaseEvent.MetricSource;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusClient.Result;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusEndpoints.Endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One look at a Prometheus guard: the treatment's and the baseline's counts over the running step, as the push
 * path sums them from samples. Each arm is two instant queries, {@code total} and {@code good} or {@code bad},
 * with {@code {{window}}} the time since the step began; the 100 % step's baseline, the control pooled over the
 * earlier steps, is the same queries evaluated at the step's start over the time since the first step began.
 * The queries of one instant are sent as one request ({@link PrometheusClient#queryAll}); the evidence lists them
 * one by one, as a person would run them.
 *
 * <p>{@code increase()} extrapolates to the window's edges, so its counts are not whole numbers; they are rounded.
 * Any query without one finite number, a good count above the total, or an arm whose count went down since the
 * last look of the same step (a counter reset or a lost series that {@code increase()} did not absorb) makes the
 * whole look "no data": half a look would compare one arm's fresh counts with nothing.
 */
public final class PrometheusGuardSource {

    /** What one look found: counts, or the reason there are none, with the queries as sent either way. */
    public record Look(Counts baseline, Counts treatment, List<String> queries, String noData, boolean parseError) {

        static Look failed(List<String> queries, String reason, boolean parseError) {
            return new Look(null, null, queries, reason, parseError);
        }
    }

    /**
     * Where the step stands: the audience, when it and the rollout began, the counts of the last look, and what the
     * two arms are called in the application's metrics.
     */
    public record Step(String feature, String environment, boolean fullRollout, Instant stepStartedAt,
                       Instant firstStepStartedAt, Look previous, VariantLabels variants) {
    }

    private final PrometheusClient client;

    public PrometheusGuardSource(PrometheusClient client) {
        this.client = client;
    }

    public Look look(Endpoint endpoint, MetricSource source, Step step, Instant now) {
        Duration stepWindow = Duration.between(step.stepStartedAt(), now);
        List<String> treatmentQueries = queries(source, step.feature(), step.environment(),
                step.variants().treatment(), stepWindow);
        List<String> baselineQueries = step.fullRollout()
                ? queries(source, step.feature(), step.environment(), step.variants().control(),
                Duration.between(step.firstStepStartedAt(), step.stepStartedAt()))
                : queries(source, step.feature(), step.environment(), step.variants().control(), stepWindow);
        List<String> queries = new ArrayList<>(treatmentQueries);
        queries.addAll(baselineQueries);
        // Both arms at the same instant go out as one request; the 100 % step's baseline is read at another.
        List<Result> answers = step.fullRollout()
                ? concat(client.queryAll(endpoint.url(), endpoint.token(), treatmentQueries, now),
                client.queryAll(endpoint.url(), endpoint.token(), baselineQueries, step.stepStartedAt()))
                : client.queryAll(endpoint.url(), endpoint.token(), queries, now);
        Arm treatment = arm(source, step.variants().treatment(), answers.subList(0, 2));
        Arm baseline = arm(source, step.variants().control(), answers.subList(2, 4));
        for (Arm arm : List.of(treatment, baseline)) {
            if (arm.failure() != null) {
                return Look.failed(queries, arm.failure().reason(), arm.failure().parseError());
            }
        }
        Look previous = step.previous();
        if (previous != null && previous.treatment() != null
                && (wentDown(previous.treatment(), treatment.counts()) || wentDown(previous.baseline(), baseline.counts()))) {
            return Look.failed(queries, "a count went down since the last look (" + previous.treatment().requests()
                    + " to " + treatment.counts().requests() + " treatment requests): a counter reset or a lost series",
                    false);
        }
        return new Look(baseline.counts(), treatment.counts(), queries, null, false);
    }

    /** The templates filled for one arm, for the evidence and for the preflight. */
    public static List<String> queries(MetricSource source, String feature, String environment, String variant,
                                       Duration window) {
        List<String> filled = new ArrayList<>();
        for (String template : templates(source)) {
            filled.add(new PromQlTemplate(template).fill(feature, environment, source.application(), variant, window));
        }
        return filled;
    }

    /** {@code total}, then {@code good} or {@code bad}. */
    public static List<String> templates(MetricSource source) {
        return List.of(source.total(), source.good() != null ? source.good() : source.bad());
    }

    private record Arm(Counts counts, Result.NoData failure) {
    }

    /** One arm's counts from its two answers: {@code total}, then {@code good} or {@code bad}. */
    private static Arm arm(MetricSource source, String variant, List<Result> answers) {
        double[] values = new double[2];
        for (int i = 0; i < 2; i++) {
            switch (answers.get(i)) {
                case Result.NoData failure -> {
                    return new Arm(null, failure);
                }
                case Result.Value value -> values[i] = value.value();
            }
        }
        long total = Math.round(values[0]);
        long other = Math.round(values[1]);
        // One request of slack: both counts are extrapolated separately and may round apart.
        if (other > total + 1) {
            return new Arm(null, new Result.NoData((source.good() != null ? "good" : "bad") + " (" + other
                    + ") exceeds total (" + total + ") for variant " + variant, false));
        }
        long bad = source.good() != null ? Math.max(0, total - other) : Math.min(total, other);
        return new Arm(new Counts(total, bad), null);
    }

    private static List<Result> concat(List<Result> first, List<Result> second) {
        List<Result> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** Extrapolation wobbles by a fraction of a scrape; a fall by more than that and one request is not noise. */
    private static boolean wentDown(Counts before, Counts now) {
        return now.requests() + 1 < before.requests() * 0.99;
    }
}
