package dev.twostep.rolloutanalyzer.service;

import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.MetricSource;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.problems.ProblemException;
import dev.twostep.rolloutanalyzer.decision.PlanForecast;
import dev.twostep.rolloutanalyzer.decision.PlanForecast.StepEstimate;
import dev.twostep.rolloutanalyzer.decision.RolloutPolicy;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import dev.twostep.rolloutanalyzer.prometheus.PromQlTemplate;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusClient;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusClient.Result;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusConfig;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusEndpoints;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusEndpoints.Endpoint;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusGuardSource;
import dev.twostep.rolloutanalyzer.prometheus.VariantLabels;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a plan before its rollout starts, against the data its guards will be judged on. A Prometheus guard's
 * queries are run once for the control (variant {@code off}, or a named rollout's default variant: it has traffic
 * before any treatment does) over the last five minutes: a query Prometheus refuses, or one that names no series, is
 * a 400 naming the guard's field and Prometheus's own words, so the mistake is found at the start and not as an hour
 * of "no data" and a hold; so is a guard URL that is not allowed ({@link PrometheusEndpoints#refusal}). An
 * unreachable Prometheus is only a warning: it is not the plan's fault, and the rollout holds rather than advances
 * while it stays away. The same traffic gives each step's expected duration
 * ({@link PlanForecast}), with a warning for every step that cannot decide within {@code maxStepDuration}.
 *
 * <p>It lives in the analyzer because the analyzer owns the sources, their credentials and the statistics; the
 * release-controller asks it when a plan has a Prometheus guard, and refuses the rollout with its answer.
 */
@ApplicationScoped
public class RolloutPreflight {

    /** How far back the traffic and base rates are measured. */
    static final Duration LOOKBACK = Duration.ofMinutes(5);
    private static final Duration PUSHED_LOOKBACK = Duration.ofHours(1);

    /**
     * @param queries          the control's queries, as sent
     * @param treatmentQueries the treatment's, filled as the judge will fill them but not sent: before its rollout
     *                         the treatment may serve nobody, so an empty answer would say nothing; a person can check
     *                         them against the application's labels
     */
    public record GuardCheck(String name, String source, List<String> queries, List<String> treatmentQueries,
                             Double requestsPerSecond, Double badShare) {
    }

    public record Answer(String featureKey, String environment, Double requestsPerSecond, List<GuardCheck> guards,
                         List<StepEstimate> steps, List<String> warnings) {
    }

    private final PrometheusEndpoints endpoints;
    private final PrometheusClient client;
    private final MetricSamples samples;
    private final Clock clock;

    RolloutPreflight(PrometheusEndpoints endpoints, PrometheusConfig config, MetricSamples samples, Clock clock) {
        this.endpoints = endpoints;
        this.client = new PrometheusClient(config.timeout());
        this.samples = samples;
        this.clock = clock;
    }

    /**
     * {@code variants} names the two arms in the metrics: {@code on} and {@code off}, or a named rollout's treatment
     * and the definition's default.
     */
    public Answer check(String featureKey, String environment, Plan plan, VariantLabels variants) {
        RolloutPolicy policy;
        try {
            policy = RolloutPolicy.from(plan);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("plan.guards", e.getMessage());
        }
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        List<GuardCheck> checks = new ArrayList<>();
        Map<String, Double> baseRates = new HashMap<>();
        Double traffic = null;
        List<Guard> guards = plan.allGuards();
        for (int i = 0; i < guards.size(); i++) {
            Guard guard = guards.get(i);
            String field = plan.guards() == null ? "plan.guard" : "plan.guards[" + i + "]";
            GuardCheck check = RolloutTracking.fromPrometheus(guard)
                    ? prometheus(field, guard, featureKey, environment, variants, now, warnings)
                    : pushed(field, guard, i == 0, featureKey, environment, now);
            checks.add(check);
            if (check.badShare() != null) {
                baseRates.put(check.name(), check.badShare());
            }
            if (traffic == null && check.requestsPerSecond() != null) {
                traffic = check.requestsPerSecond();
            }
        }
        List<StepEstimate> steps = List.of();
        if (traffic == null || traffic == 0) {
            warnings.add("no traffic of " + featureKey + " in " + environment + " seen by any guard, so the steps "
                    + "cannot be timed; with none, every step holds at maxStepDuration");
        } else {
            steps = PlanForecast.of(policy, plan.steps(), traffic, baseRates);
            for (StepEstimate step : steps) {
                if (!step.decidesInTime()) {
                    warnings.add(tooSlow(step, policy.maxStepDuration()));
                }
            }
        }
        return new Answer(featureKey, environment, traffic, checks, steps, warnings);
    }

    private GuardCheck prometheus(String field, Guard guard, String featureKey, String environment,
                                  VariantLabels variants, Instant now, List<String> warnings) {
        MetricSource source = guard.source();
        if (source.total() == null || source.total().isBlank()) {
            throw ProblemException.invalid(field + ".source.total", "is required for a Prometheus guard");
        }
        if ((source.good() == null) == (source.bad() == null)) {
            throw ProblemException.invalid(field + ".source.good", "give exactly one of good and bad");
        }
        String otherField = source.good() != null ? "good" : "bad";
        List<String> fields = List.of(field + ".source.total", field + ".source." + otherField);
        List<String> templates = PrometheusGuardSource.templates(source);
        for (int i = 0; i < 2; i++) {
            List<String> unknown = new PromQlTemplate(templates.get(i)).unknownPlaceholders();
            if (!unknown.isEmpty()) {
                throw ProblemException.invalid(fields.get(i), "names unknown placeholders " + unknown + "; known are "
                        + PromQlTemplate.PLACEHOLDERS);
            }
        }
        Optional<String> refused = endpoints.refusal(source.url());
        if (refused.isPresent()) {
            throw ProblemException.invalid(field + ".source.url", refused.get());
        }
        Endpoint endpoint = endpoints.of(environment, source.url()).orElseThrow(() -> ProblemException.invalid(
                field + ".source.url", "is required: no Prometheus is configured for environment " + environment));
        String control = variants.control();
        List<String> queries = PrometheusGuardSource.queries(source, featureKey, environment, control, LOOKBACK);
        List<String> treatmentQueries = PrometheusGuardSource.queries(source, featureKey, environment,
                variants.treatment(), LOOKBACK);
        double[] values = new double[2];
        for (int i = 0; i < 2; i++) {
            switch (client.query(endpoint.url(), endpoint.token(), queries.get(i), now)) {
                case Result.NoData failure when failure.parseError() -> throw ProblemException.invalid(fields.get(i),
                        "guard " + guard.nameOrMetric() + ": Prometheus refused " + queries.get(i) + ": "
                                + failure.reason());
                case Result.NoData failure when failure.reason().startsWith("empty result") ->
                        throw ProblemException.invalid(fields.get(i), "guard " + guard.nameOrMetric()
                                + ": names no series: " + queries.get(i) + " found nothing for the control (variant " + control + ")"
                                + " over the last " + LOOKBACK.toMinutes() + " minutes");
                case Result.NoData failure -> {
                    warnings.add("guard " + guard.nameOrMetric() + ": " + failure.reason() + " (" + queries.get(i)
                            + "); the rollout holds rather than advances while Prometheus gives no data");
                    return new GuardCheck(guard.nameOrMetric(), RolloutTracking.PROMETHEUS, queries, treatmentQueries,
                            null, null);
                }
                case Result.Value value -> values[i] = value.value();
            }
        }
        double bad = source.good() != null ? values[0] - values[1] : values[1];
        return new GuardCheck(guard.nameOrMetric(), RolloutTracking.PROMETHEUS, queries, treatmentQueries,
                values[0] / LOOKBACK.toSeconds(), values[0] > 0 ? Math.max(0, bad) / values[0] : null);
    }

    private GuardCheck pushed(String field, Guard guard, boolean firstGuard, String featureKey, String environment,
                              Instant now) {
        if (guard.source() != null && !"push".equals(guard.source().type())) {
            throw ProblemException.invalid(field + ".source.type", "must be push or prometheus");
        }
        Instant since = now.minus(PUSHED_LOOKBACK);
        Counts control = samples.sum(featureKey, environment, guard.nameOrMetric(), firstGuard, Variant.off, since, null);
        Counts treatment = samples.sum(featureKey, environment, guard.nameOrMetric(), firstGuard, Variant.on, since,
                null);
        long requests = control.requests() + treatment.requests();
        return new GuardCheck(guard.nameOrMetric(), "push", List.of(), List.of(),
                requests > 0 ? (double) requests / PUSHED_LOOKBACK.toSeconds() : null,
                control.requests() > 0 ? (double) control.errors() / control.requests() : null);
    }

    private static String tooSlow(StepEstimate step, Duration maxStepDuration) {
        String rate = String.format(Locale.ROOT, "%.2g", step.treatmentRequestsPerSecond());
        String need = step.seconds() == null ? "cannot decide at any duration"
                : String.format(Locale.ROOT, "needs about %,d treatment requests, %d min at %s req/s",
                step.treatmentRequests(), Math.round(step.seconds() / 60.0), rate);
        return "step " + step.step() + " (" + step.percent() + "%): guard " + step.slowestGuard() + " " + need
                + ", beyond maxStepDuration " + maxStepDuration + ": it will hold";
    }
}
