package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.config.BucketingConfig;
import dev.twostep.releasecontroller.release.Release;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a release decision sees: the feature's stream and the streams of the latest rollout in each environment
 * (older ones have ended), with the version of each, since a decision may append to the feature and to a rollout;
 * and the installation's bucketing, which a new release takes where nothing is split yet.
 */
@ApplicationScoped
class ReleaseStreams {

    private final EventStore store;
    private final BucketingConfig config;

    ReleaseStreams(EventStore store, BucketingConfig config) {
        this.store = store;
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    CommandPath.Loaded<Release> load(String featureKey) {
        List<EventEnvelope> featureStream = store.load(featureKey);
        Map<String, Long> versions = new HashMap<>(Map.of(featureKey, versionOf(featureStream)));
        Map<String, String> latestRolloutPerEnvironment = new HashMap<>();
        for (ReleaseEvent event : data(featureStream)) {
            if (event instanceof FeatureReleased released && released.rolloutId() != null) {
                latestRolloutPerEnvironment.put(released.environment(), released.rolloutId());
            }
            if (event instanceof FeatureDefinitionSet set && set.rolloutId() != null) {
                latestRolloutPerEnvironment.put(set.environment(), set.rolloutId());
            }
        }
        List<ReleaseEvent> rolloutStreams = new ArrayList<>();
        for (String rolloutId : latestRolloutPerEnvironment.values()) {
            List<EventEnvelope> rollout = store.load(rolloutId);
            versions.put(rolloutId, versionOf(rollout));
            rolloutStreams.addAll(data(rollout));
        }
        return new CommandPath.Loaded<>(Release.fold(featureKey, data(featureStream), rolloutStreams,
                config.bucketing()), versions);
    }

    private static List<ReleaseEvent> data(List<EventEnvelope> stream) {
        return stream.stream().map(envelope -> (ReleaseEvent) envelope.data()).toList();
    }

    private static long versionOf(List<EventEnvelope> stream) {
        return stream.isEmpty() ? 0 : stream.getLast().sequence();
    }
}
