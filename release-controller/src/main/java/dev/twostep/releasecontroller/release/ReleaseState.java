package dev.twostep.releasecontroller.release;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.releasecontroller.feature.FlagDefinition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one feature's releases stand at, the evolve side of {@link Release}: the fold of the feature's stream (keyed
 * by feature key) and of its rollouts' streams (keyed by rollout id). Only {@link #fold} changes it.
 */
public final class ReleaseState {

    private final String featureKey;
    private final Map<String, Audience> audiences = new HashMap<>();
    private final Map<String, Rollout> rollouts = new HashMap<>();
    /** Environments where a flag definition replaced the audience, with the event that set it. */
    private final Map<String, FeatureDefinitionSet> definitions = new HashMap<>();
    /** The bucketing the environment's audience or definition was released with. */
    private final Map<String, Bucketing> bucketings = new HashMap<>();
    private boolean defined;
    private long version;

    private ReleaseState(String featureKey) {
        this.featureKey = featureKey;
    }

    /** Rollout streams first, so that the feature's releases made by a rollout count as its steps. */
    public static ReleaseState fold(String featureKey, List<? extends ReleaseEvent> featureStream,
                                    List<? extends ReleaseEvent> rolloutStreams) {
        ReleaseState state = new ReleaseState(featureKey);
        rolloutStreams.forEach(state::evolve);
        featureStream.forEach(state::evolve);
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

    public String featureKey() {
        return featureKey;
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

    /** The bucketing the environment's release was made with; none before its first release there. */
    public Optional<Bucketing> bucketingIn(String environment) {
        return Optional.ofNullable(bucketings.get(environment));
    }

    /**
     * Whether some users of the environment get their answer from the bucketing: an audience of a percentage
     * strictly between nobody and everyone, or an enabled definition with a {@code fractional}.
     */
    public boolean splits(String environment) {
        Optional<FlagDefinition> definition = parsedDefinitionIn(environment);
        if (definition.isPresent()) {
            return definition.get().enabled() && definition.get().targeting() != null
                    && definition.get().targeting().splits();
        }
        int bucketsIn = Bucketing.bucketsIn(audienceIn(environment).percentage());
        return bucketsIn > 0 && bucketsIn < Bucketing.BUCKETS;
    }

    /** Whether the definition that stands in the environment can serve another variant than its default. */
    public boolean servesNonDefault(String environment) {
        return parsedDefinitionIn(environment).map(FlagDefinition::canServeNonDefault).orElse(false);
    }

    /** A definition as written to the event store, so it is valid: parsing it again cannot fail. */
    Optional<FlagDefinition> parsedDefinitionIn(String environment) {
        return definitionIn(environment).map(set -> FlagDefinition.parse(set.definition(), set.segments()));
    }
}
