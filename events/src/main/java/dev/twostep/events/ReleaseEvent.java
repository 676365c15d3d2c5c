package dev.twostep.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Facts published by the release-controller on {@link Topics#RELEASE_EVENTS}. Feature events are
 * keyed by feature key, so one feature's history stays in order; rollout events by rollout id.
 */
public sealed interface ReleaseEvent extends TwostepEvent {

    /**
     * The bucketings a release can name; it is evaluated by the one it was made with, so a change is a visible event.
     * {@code FLAGD_FRACTIONAL_100K} is flagd's high-precision fractional scheme (flagd's own since 2026, the default);
     * {@code FLAGD_FRACTIONAL_LEGACY} is flagd's earlier one (the signed hash's absolute value as a float percentage
     * against float shares of 100), which OpenFeature's flagd provider for Java 0.11.15 still implements.
     */
    String FLAGD_FRACTIONAL_100K = "murmur3-x86_32/featureKey+targetingKey/100000";
    String FLAGD_FRACTIONAL_LEGACY = "murmur3-x86_32/featureKey+targetingKey/legacy-float-percent";

    /** Who sees a feature: a percentage in steps of 0.001, plus listed users who are always in. */
    record Audience(double percentage, List<String> users) {
        public static final Audience NOBODY = new Audience(0, List.of());

        public Audience {
            if (percentage < 0 || percentage > 100) {
                throw new IllegalArgumentException("percentage must be between 0 and 100");
            }
            users = Require.list(users);
        }
    }

    record FeatureDefined(String featureKey, String application, String description) implements ReleaseEvent {
        public FeatureDefined {
            Require.text(featureKey, "featureKey");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    record FeatureReleased(String featureKey, String environment, Audience audience, Audience previousAudience,
                           String reason, String rolloutId, String bucketing) implements ReleaseEvent {
        public FeatureReleased {
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.present(audience, "audience");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    /**
     * A feature's flag in one environment, written in flagd's flag-definition format: {@code variants} of one type,
     * {@code defaultVariant}, {@code state} and {@code targeting} (JsonLogic). {@code segments} are the environment's
     * segments that the targeting references with {@code $ref}, as they stood when it was written, so that each event
     * can be evaluated by itself whatever order a reader sees the segments in. While it stands it replaces the
     * environment's audience; a {@link FeatureRolledBack} afterwards leaves it serving its default variant only.
     * {@code stepPercentage} is the treatment's share (percent) at the step of rollout {@code rolloutId} that this
     * event begins; it is absent when the event begins no step: a definition set by a person, or one written again
     * within a step because a segment it references changed.
     */
    record FeatureDefinitionSet(String featureKey, String environment, JsonNode definition,
                                Map<String, JsonNode> segments, String reason, String rolloutId, String bucketing,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Double stepPercentage)
            implements ReleaseEvent {
        public FeatureDefinitionSet {
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.present(definition, "definition");
            segments = segments == null ? Map.of() : Map.copyOf(segments);
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    /**
     * A segment of one environment: a named JsonLogic condition that flag definitions there reference with
     * {@code {"$ref": name}} (flagd's {@code $evaluators}). Its stream is keyed by {@link #aggregateIdOf}.
     */
    record SegmentDefined(String environment, String name, JsonNode rule, String reason) implements ReleaseEvent {
        public SegmentDefined {
            Require.text(environment, "environment");
            Require.text(name, "name");
            Require.present(rule, "rule");
        }

        public static String aggregateIdOf(String environment, String name) {
            return "segment/" + environment + "/" + name;
        }

        @Override
        public String aggregateId() {
            return aggregateIdOf(environment, name);
        }
    }

    record FeatureRolledBack(String featureKey, String environment, String reason, String decisionId,
                             Audience previousAudience) implements ReleaseEvent {
        public FeatureRolledBack {
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return featureKey;
        }
    }

    /**
     * A guard a rollout step must pass: the treatment's share of bad requests may exceed the control's by at most
     * {@code maxIncrease} percentage points, at this confidence. {@code metric} says what a bad request is:
     * {@code errorRate} (an error), {@code latency} (slower than the guard's threshold, read from histogram
     * buckets) or {@code ratio} (any good/total pair, bad = total − good).
     *
     * <p>The fields after {@code confidence} came later and are left out of the JSON when absent, so plans
     * written before them decode and encode unchanged.
     *
     * @param name   the guard's name within its plan, which samples and decisions refer to; absent means
     *               {@code metric}
     * @param dryRun evaluated and recorded with its verdict, but never advances, holds or rolls back a step
     * @param source where the counts come from; absent means pushed samples ({@code POST /metrics})
     */
    record Guard(String metric, double maxIncrease, double confidence,
                 @JsonInclude(JsonInclude.Include.NON_NULL) String name,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
                 @JsonInclude(JsonInclude.Include.NON_NULL) MetricSource source) {
        public Guard {
            Require.text(metric, "guard.metric");
        }

        /** The single error-rate guard that every plan had before guards had names, kinds and sources. */
        public Guard(String metric, double maxIncrease, double confidence) {
            this(metric, maxIncrease, confidence, null, null, null);
        }

        public String nameOrMetric() {
            return name != null ? name : metric;
        }

        public boolean acting() {
            return !Boolean.TRUE.equals(dryRun);
        }
    }

    /**
     * A guard's counts from Prometheus: PromQL templates whose placeholders ({@code {{feature}}},
     * {@code {{environment}}}, {@code {{application}}}, {@code {{variant}}}, {@code {{window}}}) are filled for
     * each arm and look. {@code total} counts all requests; exactly one of {@code good} and {@code bad} counts
     * the others. {@code url} absent means the environment's configured Prometheus. Credentials are never here.
     */
    record MetricSource(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String url,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String application,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String total,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String good,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String bad) {
        public MetricSource {
            Require.text(type, "guard.source.type");
        }
    }

    /**
     * @param guard  the first guard, which every reader of plans before {@code guards} knows
     * @param guards every guard, the first one included, when a plan has more than one; absent otherwise
     */
    record Plan(List<Double> steps, long minRequestsPerStep, Duration minStepDuration, Duration maxStepDuration,
                Guard guard, @JsonInclude(JsonInclude.Include.NON_NULL) List<Guard> guards) {
        public Plan {
            steps = Require.list(steps);
            Require.present(guard, "guard");
            guards = guards == null ? null : List.copyOf(guards);
        }

        public Plan(List<Double> steps, long minRequestsPerStep, Duration minStepDuration, Duration maxStepDuration,
                    Guard guard) {
            this(steps, minRequestsPerStep, minStepDuration, maxStepDuration, guard, null);
        }

        /** Every guard of the plan: {@code guards} when present, else the one {@code guard}. */
        public List<Guard> allGuards() {
            return guards == null || guards.isEmpty() ? List.of(guard) : guards;
        }
    }

    /**
     * {@code treatment} and {@code control} name the variants a rollout of a flag definition compares: it moves the
     * treatment's share against the default variant (the control). Both are absent for a rollout of an audience,
     * which compares {@code on} with {@code off}.
     */
    record RolloutStarted(String rolloutId, String featureKey, String environment, Plan plan,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String treatment,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String control)
            implements ReleaseEvent {
        public RolloutStarted {
            Require.text(rolloutId, "rolloutId");
            Require.text(featureKey, "featureKey");
            Require.text(environment, "environment");
            Require.present(plan, "plan");
        }

        /** A rollout of an audience: on against off. */
        public RolloutStarted(String rolloutId, String featureKey, String environment, Plan plan) {
            this(rolloutId, featureKey, environment, plan, null, null);
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }

    record RolloutCompleted(String rolloutId, String featureKey, String environment) implements ReleaseEvent {
        public RolloutCompleted {
            Require.text(rolloutId, "rolloutId");
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }

    record RolloutAborted(String rolloutId, String featureKey, String environment, String reason)
            implements ReleaseEvent {
        public RolloutAborted {
            Require.text(rolloutId, "rolloutId");
            Require.text(reason, "reason");
        }

        @Override
        public String aggregateId() {
            return rolloutId;
        }
    }
}
