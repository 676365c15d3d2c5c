package dev.twostep.releasecontroller.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.events.RolloutDecisionEvent.RolloutAdvanceDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutHoldDecided;
import dev.twostep.events.RolloutDecisionEvent.RolloutRollbackDecided;
import dev.twostep.refusals.Refused;
import dev.twostep.releasecontroller.feature.FlagDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The releases of one feature, the decide side: its audience or flag definition in each environment and its
 * rollouts. Each decision reads the {@link ReleaseState} and returns the events to append, or throws
 * {@link Refused}; a rollout's steps are written by {@link RolloutSteps}.
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

    private final ReleaseState state;
    private final String featureKey;
    private final Bucketing installed;

    private Release(ReleaseState state, Bucketing installed) {
        this.state = state;
        this.featureKey = state.featureKey();
        this.installed = installed;
    }

    /** The releases that the streams leave; {@code installed} is what a release takes where nothing is split yet. */
    public static Release fold(String featureKey, List<? extends ReleaseEvent> featureStream,
                               List<? extends ReleaseEvent> rolloutStreams, Bucketing installed) {
        return new Release(ReleaseState.fold(featureKey, featureStream, rolloutStreams), installed);
    }

    public ReleaseState state() {
        return state;
    }

    /** A person sets the audience. It needs the code deployed (except to switch it off) and ends a rollout. */
    public List<ReleaseEvent> setAudience(String environment, Audience wanted, String reason, boolean codeDeployed) {
        requireDefined();
        if (!codeDeployed && !wanted.equals(Audience.NOBODY)) {
            throw releaseNeedsDeploy(environment);
        }
        List<ReleaseEvent> events = new ArrayList<>();
        Audience current = state.audienceIn(environment);
        // An audience replaces a definition, even an audience of nobody.
        if (!wanted.equals(current) || state.definitionIn(environment).isPresent()) {
            events.add(new FeatureReleased(featureKey, environment, wanted, current, reason, null,
                    bucketingFor(environment)));
        }
        abortActiveRollout(environment, "audience set by hand: " + reason, events);
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
        boolean same = state.definitionIn(environment).filter(current -> current.definition()
                .equals(definition.source()) && current.segments().equals(referenced)).isPresent();
        if (!same) {
            events.add(new FeatureDefinitionSet(featureKey, environment, definition.source(), referenced, reason, null,
                    bucketingFor(environment), null));
        }
        abortActiveRollout(environment, "definition set by hand: " + reason, events);
        return events;
    }

    /**
     * A segment the feature's definition references changed: the definition is written again with it, so that
     * every reader evaluates the new rule. Nothing when the definition does not reference it.
     */
    public List<ReleaseEvent> segmentChanged(String environment, String name, JsonNode rule) {
        FeatureDefinitionSet current = state.definitionIn(environment).orElse(null);
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
        Audience current = state.audienceIn(environment);
        if (!current.equals(Audience.NOBODY) || state.servesNonDefault(environment)) {
            events.add(new FeatureRolledBack(featureKey, environment, reason, decisionId, current));
            // A definition falls back to its default by an event of its own, so that every reader gets there
            // from that event alone, whatever it had seen before.
            state.definitionIn(environment).ifPresent(set -> events.add(fallenBack(set, reason)));
        }
        abortActiveRollout(environment, abortReason, events);
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
        return List.of(RolloutSteps.next(state, rollout, "promoted by hand: " + reason, bucketingFor(environment)));
    }

    private Rollout activeRollout(String environment) {
        requireDefined();
        return state.activeRolloutIn(environment).orElseThrow(() -> Refused.conflict(
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
        state.activeRolloutIn(environment).ifPresent(active -> {
            throw Refused.conflict("rollout " + active.rolloutId() + " of " + featureKey
                    + " is already active in " + environment + "; roll back or set the audience to end it first");
        });
        String control = state.parsedDefinitionIn(environment).map(FlagDefinition::defaultVariant).orElse(null);
        if (control != null && (treatment == null || treatment.equals(control)
                || !state.definitionIn(environment).orElseThrow().definition().path("variants").has(treatment))) {
            throw Refused.conflict("a rollout of " + featureKey + " in " + environment
                    + " names its treatment: a variant of its definition other than the default " + control);
        }
        if (control == null && treatment != null && !treatment.equals(AUDIENCE_TREATMENT)) {
            throw Refused.conflict(featureKey + " has no flag definition in " + environment
                    + ": a rollout widens its audience (treatment \"on\"), not " + treatment);
        }
        RolloutStarted started = control != null ? new RolloutStarted(rolloutId, featureKey, environment, plan,
                treatment, control) : new RolloutStarted(rolloutId, featureKey, environment, plan);
        return List.of(started, RolloutSteps.first(state, started, bucketingFor(environment)));
    }

    /**
     * Acts on the rollout analyzer's verdict only while the rollout is active and at the judged step;
     * a duplicate, late or foreign decision changes nothing.
     */
    public List<ReleaseEvent> decide(RolloutDecisionEvent decision) {
        Rollout rollout = state.rollout(decision.rolloutId()).orElse(null);
        if (rollout == null || !rollout.active() || rollout.step() != decision.step()) {
            return List.of();
        }
        String environment = rollout.environment();
        return switch (decision) {
            case RolloutAdvanceDecided advance when rollout.atLastStep() ->
                    List.of(new RolloutCompleted(rollout.rolloutId(), featureKey, environment));
            case RolloutAdvanceDecided advance -> List.of(RolloutSteps.next(state, rollout,
                    "decision " + advance.decisionId(), bucketingFor(environment)));
            case RolloutRollbackDecided rollback -> rollBack(environment, "rollout " + rollout.rolloutId()
                            + " rolled back at step " + rollout.step() + ": decision " + rollback.decisionId(),
                    rollback.decisionId(), "decision " + rollback.decisionId() + " rolled it back");
            case RolloutHoldDecided hold -> List.of();
        };
    }

    /** The name of the bucketing a new release in the environment is made with (the class comment says why). */
    private String bucketingFor(String environment) {
        return state.bucketingIn(environment).filter(recorded -> state.splits(environment)).orElse(installed)
                .eventName();
    }

    private void abortActiveRollout(String environment, String reason, List<ReleaseEvent> events) {
        state.activeRolloutIn(environment).ifPresent(rollout -> events.add(new RolloutAborted(rollout.rolloutId(),
                featureKey, environment, reason)));
    }

    /** A rolled-back definition keeps its variants and default but no targeting: everyone gets the default. */
    private static FeatureDefinitionSet fallenBack(FeatureDefinitionSet set, String reason) {
        FlagDefinition definition = FlagDefinition.parse(set.definition(), set.segments());
        return new FeatureDefinitionSet(set.featureKey(), set.environment(), definition.withoutTargeting(), Map.of(),
                reason, null, set.bucketing(), null);
    }

    private void requireDefined() {
        if (!state.defined()) {
            throw Refused.notFound("no feature " + featureKey);
        }
    }

    private Refused releaseNeedsDeploy(String environment) {
        return Refused.conflict("release needs deploy: no artefact containing " + featureKey
                + " runs in " + environment);
    }
}
