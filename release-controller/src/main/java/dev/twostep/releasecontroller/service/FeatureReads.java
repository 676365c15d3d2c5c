package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.view.DeployedVersion;
import dev.twostep.releasecontroller.view.FeatureChange;
import dev.twostep.releasecontroller.view.FeatureReleaseEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseRepository;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.FeatureRepository;
import dev.twostep.releasecontroller.view.FeatureView;
import dev.twostep.releasecontroller.view.FeatureView.EnvironmentView;
import dev.twostep.releasecontroller.view.RolloutEntity;
import dev.twostep.releasecontroller.view.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What people read about a feature: its state per environment, and its history from the event store. */
@ApplicationScoped
public class FeatureReads {

    private final EventStore store;
    private final FeatureRepository features;
    private final FeatureReleaseRepository releases;
    private final RolloutRepository rollouts;
    private final DeployedService deployed;

    FeatureReads(EventStore store, FeatureRepository features, FeatureReleaseRepository releases,
                 RolloutRepository rollouts, DeployedService deployed) {
        this.store = store;
        this.features = features;
        this.releases = releases;
        this.rollouts = rollouts;
        this.deployed = deployed;
    }

    /** The default variant of the feature's flag definition in the environment; empty where it has an audience. */
    @Transactional
    public Optional<String> defaultVariantIn(String featureKey, String environment) {
        return releases.findByIdOptional(FeatureReleaseEntity.idOf(featureKey, environment))
                .filter(row -> row.definition != null)
                .map(row -> JsonText.tree(row.definition).path("defaultVariant").asText(null));
    }

    /** The feature with its audience, deployed versions and active rollout in every environment it concerns. */
    @Transactional
    public Optional<FeatureView> find(String featureKey) {
        return features.findByIdOptional(featureKey).map(row -> {
            Map<String, FeatureReleaseEntity> audiences = releases.ofFeature(featureKey).stream()
                    .collect(Collectors.toMap(r -> r.environment, Function.identity()));
            Map<String, RolloutEntity> active = rollouts.activeOf(featureKey).stream()
                    .collect(Collectors.toMap(r -> r.environment, Function.identity()));
            Map<String, List<DeployedVersion>> containing = deployed.containing(featureKey);
            TreeSet<String> environments = new TreeSet<>(audiences.keySet());
            environments.addAll(containing.keySet());
            List<EnvironmentView> views = environments.stream().map(environment -> EnvironmentView.of(environment,
                    audiences.get(environment), containing.getOrDefault(environment, List.of()),
                    active.get(environment))).toList();
            return new FeatureView(row.featureKey, row.application, row.description, row.definedAt, views);
        });
    }

    /** Every feature, in key order. */
    @Transactional
    public List<FeatureView> all() {
        return features.listAll().stream().map(row -> row.featureKey).sorted()
                .map(key -> find(key).orElseThrow()).toList();
    }

    /** A rollout in any state; its feature's view shows it only while it is active. */
    public Optional<FeatureView.RolloutView> rollout(String rolloutId) {
        return rollouts.findByIdOptional(rolloutId).map(FeatureView.RolloutView::of);
    }

    /**
     * Every change of the feature, oldest first: its definition, releases and rollbacks, and the
     * start and end of its rollouts, each with who, why and when.
     */
    public List<FeatureChange> history(String featureKey) {
        List<EventEnvelope> featureStream = store.load(featureKey);
        List<EventEnvelope> all = new ArrayList<>(featureStream);
        featureStream.stream().map(EventEnvelope::data)
                .map(FeatureReads::rolloutIdOf).filter(Objects::nonNull).distinct()
                .forEach(rolloutId -> all.addAll(store.load(rolloutId)));
        // Events of one decision share a time when the clock is coarse: keep the order they were decided in.
        all.sort(Comparator.comparing(EventEnvelope::time).thenComparingInt(FeatureReads::orderWithinDecision));
        return all.stream().map(FeatureReads::change).toList();
    }

    private static String rolloutIdOf(Object event) {
        return switch (event) {
            case FeatureReleased released -> released.rolloutId();
            case FeatureDefinitionSet set -> set.rolloutId();
            default -> null;
        };
    }

    private static int orderWithinDecision(EventEnvelope envelope) {
        return switch ((ReleaseEvent) envelope.data()) {
            case RolloutStarted ignored -> 0;
            case RolloutCompleted ignored -> 2;
            case RolloutAborted ignored -> 2;
            default -> 1;
        };
    }

    private static FeatureChange change(EventEnvelope envelope) {
        return switch ((ReleaseEvent) envelope.data()) {
            case FeatureDefined defined -> change(envelope, null, null, null, null, null, defined.description());
            case FeatureReleased released -> change(envelope, released.environment(), released.audience(),
                    released.previousAudience(), released.rolloutId(), null, released.reason());
            case FeatureRolledBack rolledBack -> change(envelope, rolledBack.environment(), Audience.NOBODY,
                    rolledBack.previousAudience(), null, rolledBack.decisionId(), rolledBack.reason());
            case RolloutStarted started -> change(envelope, started.environment(), null, null, started.rolloutId(),
                    null, "rollout planned over " + started.plan().steps() + "%");
            case RolloutCompleted completed -> change(envelope, completed.environment(), null, null,
                    completed.rolloutId(), null, "completed");
            case RolloutAborted aborted -> change(envelope, aborted.environment(), null, null, aborted.rolloutId(),
                    null, aborted.reason());
            case FeatureDefinitionSet set -> new FeatureChange(envelope.type(), set.environment(), null, null,
                    set.rolloutId(), null, set.reason(), envelope.actor(), envelope.time(), envelope.correlationId(),
                    set.definition());
            case SegmentDefined segment -> change(envelope, segment.environment(), null, null, null, null,
                    segment.reason());
        };
    }

    private static FeatureChange change(EventEnvelope envelope, String environment, Audience audience,
                                        Audience previousAudience, String rolloutId, String decisionId,
                                        String reason) {
        return new FeatureChange(envelope.type(), environment, audience, previousAudience, rolloutId, decisionId,
                reason, envelope.actor(), envelope.time(), envelope.correlationId(), null);
    }
}
