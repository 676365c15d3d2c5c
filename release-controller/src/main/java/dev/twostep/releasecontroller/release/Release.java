package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases of one feature: its audience in each environment and its rollouts. State is the fold
 * of the feature's stream (keyed by feature key) and of its rollouts' streams (keyed by rollout id);
 * the decisions below return the events to append, or throw {@link Refused}.
 *
 * <p>Each release event names its {@link Bucketing}. A new release keeps the one of the release it replaces while
 * that one splits its audience (a percentage, or a definition with a {@code fractional}), so no write moves a user:
 * not a rollout's step, a widening by hand or a segment's change, even after the installation switched its bucketing.
 * Where nothing is split yet (never released, nobody, everyone, only listed users or rules), no answer depends on the
 * bucketing, and a release takes the installation's.
 */
public final class Release {

    public static final String CODE_GONE = "code no longer deployed";
    /** The variant an audience's rollout widens. */
    public static final String AUDIENCE_TREATMENT = "on";

    private final String featureKey;
    private final Map<String, Audience> audiences = new HashMap<>();
    private final Map<String, Rollout> rollouts = new HashMap<>();
    /** Environments where a flag definition replaced the audience, with the event that set it. */
    private final Map<String, FeatureDefinitionSet> definitions = new HashMap<>();
    /** The bucketing the environment's audience or definition was released with. */
    private final Map<String, Bucketing> bucketings = new HashMap<>();
    private final Bucketing installed;
    // Only fold() changes these, while it builds the state; deciding never does.
    private boolean defined;
    private long version;

    private Release(String featureKey, Bucketing installed) {
        this.featureKey = featureKey;
        this.installed = installed;
    }

    /**
     * Rollout streams first, so that the feature's releases made by a rollout count as its steps. {@code installed}
     * is the installation's bucketing, which a release takes where nothing is split yet.
     */
    public static Release fold(String featureKey, List<? extends ReleaseEvent> featureStream,
                               List<? extends ReleaseEvent> rolloutStreams, Bucketing installed) {
        Release state = new Release(featureKey, installed);
        for (ReleaseEvent event : rolloutStreams) {
            state.evolve(event);
        }
        for (ReleaseEvent event : featureStream) {
            state.evolve(event);
        }
        return state;
    }

    private void evolve(ReleaseEvent event) {
        switch (event) {
            case FeatureDefined ignored -> {
                version++;
            }
            case FeatureReleased released -> {
                version++;
                audiences.put(released.environment(), released.audience());
                definitions.remove(released.environment());
                bucketings.put(released.environment(), Bucketing.named(released.bucketing()));
                if (released.rolloutId() != null) {
                    rollouts.computeIfPresent(released.rolloutId(), (id, rollout) -> rollout.advanced());
                }
            }
            case FeatureRolledBack rolledBack -> {
                version++;
                audiences.put(rolledBack.environment(), Audience.NOBODY);
            }
            case FeatureDefinitionSet set -> {
                version++;
                audiences.put(set.environment(), Audience.NOBODY);
                definitions.put(set.environment(), set);
                bucketings.put(set.environment(), Bucketing.named(set.bucketing()));
                if (set.rolloutId() != null && set.stepPercentage() != null) {
                    rollouts.computeIfPresent(set.rolloutId(), (id, rollout) -> rollout.advanced());
                }
            }
            case SegmentDefined ignored -> {
            }
            case RolloutStarted started -> rollouts.put(started.rolloutId(), new Rollout(started.rolloutId(),
                    started.environment(), started.plan(), 0, true, 1, started.treatment(), started.control()));
            case RolloutCompleted completed -> rollouts.computeIfPresent(completed.rolloutId(), (id, r) -> r.ended());
            case RolloutAborted aborted -> rollouts.computeIfPresent(aborted.rolloutId(), (id, r) -> r.ended());
        }
        defined |= event instanceof FeatureDefined;
    }

    public long version() {
        return version;
    }

    public boolean defined() {
        return defined;
    }

    public Audience audienceIn(String environment) {
        return audiences.getOrDefault(environment, Audience.NOBODY);
    }

    /** The flag definition that stands in the environment, if one replaced the audience there. */
    public Optional<FeatureDefinitionSet> definitionIn(String environment) {
        return Optional.ofNullable(definitions.get(environment));
    }

    public Optional<Rollout> activeRolloutIn(String environment) {
        return rollouts.values().stream().filter(r -> r.active() && r.environment().equals(environment)).findFirst();
    }

    public Optional<Rollout> rollout(String rolloutId) {
        return Optional.ofNullable(rollouts.get(rolloutId));
    }

    /** A person sets the audience. It needs the code deployed (except to switch it off) and ends a rollout. */
    public List<ReleaseEvent> setAudience(String environment, Audience wanted, String reason, boolean codeDeployed) {
        requireDefined();
        if (!codeDeployed && !wanted.equals(Audience.NOBODY)) {
            throw releaseNeedsDeploy(environment);
        }
        List<ReleaseEvent> events = new ArrayList<>();
        Audience current = audienceIn(environment);
        // An audience replaces a definition, even an audience of nobody.
        if (!wanted.equals(current) || definitions.containsKey(environment)) {
            events.add(new FeatureReleased(featureKey, environment, wanted, current, reason, null,
                    bucketingFor(environment)));
        }
        activeRolloutIn(environment).ifPresent(rollout -> events.add(new RolloutAborted(rollout.rolloutId(),
                featureKey, environment, "audience set by hand: " + reason)));
        return events;
    }

    /**
     * A person sets the feature's flag definition (flagd's format, already parsed against the environment's
     * segments). One that can serve a variant other than the default needs the code deployed; a definition that
     * serves only its default does not, like switching off. It replaces the audience and ends a rollout.
     */
    public List<ReleaseEvent> setDefinition(String environment, FlagDefinition definition, String reason,
                                            boolean codeDeployed) {
        requireDefined();
        if (!codeDeployed && definition.canServeNonDefault()) {
            throw releaseNeedsDeploy(environment);
        }
        Map<String, JsonNode> referenced = definition.segmentRules();
        List<ReleaseEvent> events = new ArrayList<>();
        FeatureDefinitionSet current = definitions.get(environment);
        if (current == null || !current.definition().equals(definition.source())
                || !current.segments().equals(referenced)) {
            events.add(new FeatureDefinitionSet(featureKey, environment, definition.source(), referenced, reason, null,
                    bucketingFor(environment), null));
        }
        activeRolloutIn(environment).ifPresent(rollout -> events.add(new RolloutAborted(rollout.rolloutId(),
                featureKey, environment, "definition set by hand: " + reason)));
        return events;
    }

    /**
     * A segment the feature's definition references changed: the definition is written again with it, so that
     * every reader evaluates the new rule. Nothing when the definition does not reference it.
     */
    public List<ReleaseEvent> segmentChanged(String environment, String name, JsonNode rule) {
        FeatureDefinitionSet current = definitions.get(environment);
        if (current == null || !current.segments().containsKey(name) || current.segments().get(name).equals(rule)) {
            return List.of();
        }
        Map<String, JsonNode> segments = new HashMap<>(current.segments());
        segments.put(name, rule);
        return List.of(new FeatureDefinitionSet(featureKey, environment, current.definition(), segments,
                "segment " + name + " changed", current.rolloutId(), current.bucketing(), null));
    }

    /** Switches the feature off in the environment; a no-op when it is already off and nothing rolls out. */
    public List<ReleaseEvent> rollBack(String environment, String reason) {
        requireDefined();
        return rollBack(environment, reason, null, "rolled back: " + reason);
    }

    /** The code of a released feature no longer runs in the environment: switch it off by itself. */
    public List<ReleaseEvent> codeGone(String environment) {
        return rollBack(environment, CODE_GONE, null, CODE_GONE);
    }

    private List<ReleaseEvent> rollBack(String environment, String reason, String decisionId, String abortReason) {
        List<ReleaseEvent> events = new ArrayList<>();
        Audience current = audienceIn(environment);
        if (!current.equals(Audience.NOBODY) || servesNonDefault(environment)) {
            events.add(new FeatureRolledBack(featureKey, environment, reason, decisionId, current));
            // A definition falls back to its default by an event of its own, so that every reader gets there
            // from that event alone, whatever it had seen before.
            definitionIn(environment).ifPresent(set -> events.add(fallenBack(set, reason)));
        }
        activeRolloutIn(environment).ifPresent(rollout -> events.add(new RolloutAborted(rollout.rolloutId(),
                featureKey, environment, abortReason)));
        return events;
    }

    /**
     * Stops the active rollout where it stands: the audience stays as the last step left it, and no decision widens
     * it further. To switch the feature off as well, roll it back instead.
     */
    public List<ReleaseEvent> abortRollout(String environment, String reason) {
        Rollout rollout = activeRollout(environment);
        return List.of(new RolloutAborted(rollout.rolloutId(), featureKey, environment, "aborted: " + reason));
    }

    /**
     * A person takes the active rollout one step on, as Argo Rollouts' promote does: typically after the analyzer
     * held a step for want of traffic. The last step completes the rollout. The analyzer judges the new step like
     * any other, so the guard still watches the wider audience.
     */
    public List<ReleaseEvent> promoteRollout(String environment, String reason) {
        Rollout rollout = activeRollout(environment);
        if (rollout.atLastStep()) {
            return List.of(new RolloutCompleted(rollout.rolloutId(), featureKey, environment));
        }
        return List.of(nextStep(rollout, "promoted by hand: " + reason));
    }

    private Rollout activeRollout(String environment) {
        requireDefined();
        return activeRolloutIn(environment).orElseThrow(() -> new Refused(Refused.Kind.CONFLICT,
                "no rollout of " + featureKey + " is active in " + environment));
    }

    /**
     * Starts a progressive rollout at its first step; one at a time per environment. Where a flag definition stands,
     * the rollout moves the share of {@code treatment}, one of its variants, against its default (the control);
     * otherwise it widens the audience ({@code treatment} absent or {@code on}).
     */
    public List<ReleaseEvent> startRollout(String rolloutId, String environment, Plan plan, String treatment,
                                           boolean codeDeployed) {
        requireDefined();
        if (!codeDeployed) {
            throw releaseNeedsDeploy(environment);
        }
        activeRolloutIn(environment).ifPresent(active -> {
            throw new Refused(Refused.Kind.CONFLICT, "rollout " + active.rolloutId() + " of " + featureKey
                    + " is already active in " + environment + "; roll back or set the audience to end it first");
        });
        double first = plan.steps().getFirst();
        FeatureDefinitionSet definition = definitions.get(environment);
        if (definition != null) {
            String control = FlagDefinition.parse(definition.definition(), definition.segments()).defaultVariant();
            if (treatment == null || treatment.equals(control) || !definition.definition().path("variants").has(treatment)) {
                throw new Refused(Refused.Kind.CONFLICT, "a rollout of " + featureKey + " in " + environment
                        + " names its treatment: a variant of its definition other than the default " + control);
            }
            return List.of(new RolloutStarted(rolloutId, featureKey, environment, plan, treatment, control),
                    new FeatureDefinitionSet(featureKey, environment, RolloutSplit.withShare(RolloutSplit.base(
                            definition), treatment, control, first), definition.segments(), "rollout " + rolloutId
                            + " starts " + treatment + " at step 1 (" + percent(first) + "%)", rolloutId,
                            bucketingFor(environment), first));
        }
        if (treatment != null && !treatment.equals(AUDIENCE_TREATMENT)) {
            throw new Refused(Refused.Kind.CONFLICT, featureKey + " has no flag definition in " + environment
                    + ": a rollout widens its audience (treatment \"on\"), not " + treatment);
        }
        Audience current = audienceIn(environment);
        return List.of(new RolloutStarted(rolloutId, featureKey, environment, plan),
                new FeatureReleased(featureKey, environment, withPercentage(current, first), current,
                        "rollout " + rolloutId + " starts at step 1 (" + percent(first) + "%)", rolloutId,
                        bucketingFor(environment)));
    }

    /**
     * Acts on the rollout analyzer's verdict only while the rollout is active and at the judged step;
     * a duplicate, late or foreign decision changes nothing.
     */
    public List<ReleaseEvent> decide(RolloutDecisionEvent decision) {
        Rollout rollout = rollouts.get(decision.rolloutId());
        if (rollout == null || !rollout.active() || rollout.step() != decision.step()) {
            return List.of();
        }
        String environment = rollout.environment();
        return switch (decision) {
            case RolloutAdvanceDecided advance when rollout.atLastStep() ->
                    List.of(new RolloutCompleted(rollout.rolloutId(), featureKey, environment));
            case RolloutAdvanceDecided advance -> List.of(nextStep(rollout, "decision " + advance.decisionId()));
            case RolloutRollbackDecided rollback -> rollBack(environment, "rollout " + rollout.rolloutId()
                            + " rolled back at step " + rollout.step() + ": decision " + rollback.decisionId(),
                    rollback.decisionId(), "decision " + rollback.decisionId() + " rolled it back");
            case RolloutHoldDecided hold -> List.of();
        };
    }

    /** Widens the rollout's audience, or its treatment's share, to its next step, saying why. */
    private ReleaseEvent nextStep(Rollout rollout, String why) {
        double next = rollout.nextPercentage();
        FeatureDefinitionSet definition = definitions.get(rollout.environment());
        if (rollout.treatment() != null && definition != null) {
            return new FeatureDefinitionSet(featureKey, rollout.environment(), RolloutSplit.withShare(
                    RolloutSplit.base(definition), rollout.treatment(), rollout.control(), next),
                    definition.segments(), "rollout " + rollout.rolloutId() + " advances " + rollout.treatment()
                    + " to step " + (rollout.step() + 1) + " (" + percent(next) + "%): " + why, rollout.rolloutId(),
                    bucketingFor(rollout.environment()), next);
        }
        Audience current = audienceIn(rollout.environment());
        return new FeatureReleased(featureKey, rollout.environment(), withPercentage(current, next), current,
                "rollout " + rollout.rolloutId() + " advances to step " + (rollout.step() + 1) + " (" + percent(next)
                        + "%): " + why, rollout.rolloutId(), bucketingFor(rollout.environment()));
    }

    /** The name of the bucketing a new release in the environment is made with (the class comment says why). */
    private String bucketingFor(String environment) {
        Bucketing recorded = bucketings.get(environment);
        return (recorded != null && splits(environment) ? recorded : installed).eventName();
    }

    private boolean splits(String environment) {
        FeatureDefinitionSet set = definitions.get(environment);
        if (set != null) {
            FlagDefinition definition = FlagDefinition.parse(set.definition(), set.segments());
            return definition.enabled() && definition.targeting() != null && definition.targeting().splits();
        }
        int bucketsIn = Bucketing.bucketsIn(audienceIn(environment).percentage());
        return bucketsIn > 0 && bucketsIn < Bucketing.BUCKETS;
    }

    private boolean servesNonDefault(String environment) {
        FeatureDefinitionSet set = definitions.get(environment);
        return set != null && FlagDefinition.parse(set.definition(), set.segments()).canServeNonDefault();
    }

    /** A rolled-back definition keeps its variants and default but no targeting: everyone gets the default. */
    private static FeatureDefinitionSet fallenBack(FeatureDefinitionSet set, String reason) {
        FlagDefinition definition = FlagDefinition.parse(set.definition(), set.segments());
        return new FeatureDefinitionSet(set.featureKey(), set.environment(), definition.withoutTargeting(), Map.of(),
                reason, null, set.bucketing(), null);
    }

    private void requireDefined() {
        if (!defined) {
            throw new Refused(Refused.Kind.NOT_FOUND, "no feature " + featureKey);
        }
    }

    private Refused releaseNeedsDeploy(String environment) {
        return new Refused(Refused.Kind.CONFLICT, "release needs deploy: no artefact containing " + featureKey
                + " runs in " + environment);
    }

    /** A rollout moves the percentage; the listed users stay in. */
    private static Audience withPercentage(Audience audience, double percentage) {
        return new Audience(percentage, audience.users());
    }

    /** 5.0 reads "5", 0.125 reads "0.125". */
    static String percent(double percentage) {
        return BigDecimal.valueOf(percentage).stripTrailingZeros().toPlainString();
    }

    /** A command the current state does not allow; nothing is appended. */
    public static final class Refused extends RuntimeException {

        public enum Kind { NOT_FOUND, CONFLICT }

        private final Kind kind;

        Refused(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
