package dev.twostep.releasecontroller.evaluation;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.releasecontroller.release.Bucketing;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every flag as evaluation needs it, in memory: OFREP never reads the database. It is filled from
 * the read model at start-up, then follows the release events: this replica's own right after they
 * commit, and every replica's from the topic (the follower in {@code intake}, which also decides
 * when the replica is ready). Each release carries its sequence and a flag keeps the newest, so the
 * two paths, repeats and replays all agree.
 */
@ApplicationScoped
public class FlagSnapshot {

    private final ConcurrentSkipListMap<String, Flag> flags = new ConcurrentSkipListMap<>();

    public Optional<Flag> flag(String key) {
        return Optional.ofNullable(flags.get(key));
    }

    /** In key order, so a bulk evaluation of an unchanged snapshot is byte for byte the same. */
    public Collection<Flag> all() {
        return flags.values();
    }

    /** Takes in one release event, from this replica or another; other events change no flag. */
    public void apply(EventEnvelope envelope) {
        switch (envelope.data()) {
            case FeatureDefined defined -> define(defined.featureKey());
            case FeatureReleased released -> release(released.featureKey(), released.environment(),
                    FlagRelease.of(released.audience(), envelope.sequence(), released.rolloutId(),
                            Bucketing.named(released.bucketing())));
            case FeatureRolledBack rolledBack -> rolledBack(rolledBack.featureKey(), rolledBack.environment(),
                    envelope.sequence());
            case FeatureDefinitionSet set -> release(set.featureKey(), set.environment(),
                    FlagRelease.of(set.definition(), set.segments(), envelope.sequence(), set.rolloutId(),
                            Bucketing.named(set.bucketing())));
            default -> {
            }
        }
    }

    public void define(String key) {
        flags.putIfAbsent(key, Flag.defined(key));
    }

    /**
     * An audience rolled back is nobody, still named with the bucketing it had; a definition rolled back is left to
     * the {@link FeatureDefinitionSet} that follows in the same commit (its fallback to the default), so this never
     * builds a fallback from older state.
     */
    private void rolledBack(String key, String environment, long sequence) {
        Optional<FlagRelease> current = flag(key).map(flag -> flag.environments().get(environment));
        if (current.map(release -> release.definition() == null).orElse(true)) {
            release(key, environment, FlagRelease.of(Audience.NOBODY, sequence, null,
                    current.map(FlagRelease::bucketing).orElse(Bucketing.FLAGD_FRACTIONAL)));
        }
    }

    public void release(String key, String environment, FlagRelease release) {
        flags.compute(key, (k, flag) -> (flag == null ? Flag.defined(k) : flag).with(environment, release));
    }
}
