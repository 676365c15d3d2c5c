package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureDefinitionSet;
import dev.twostep.events.ReleaseEvent.SegmentDefined;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import dev.twostep.releasecontroller.release.Bucketing;
import dev.twostep.releasecontroller.view.SegmentEntity;
import dev.twostep.releasecontroller.view.SegmentRepository;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.evaluation.FlagRelease;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.view.FeatureEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseRepository;
import dev.twostep.releasecontroller.view.FeatureRepository;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.RolloutEntity;
import dev.twostep.releasecontroller.view.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Keeps the read model (features, audiences, rollouts) in step with this service's own events, in
 * the transaction that appends them, and the in-memory flag snapshot once that transaction commits.
 * The same projection rebuilds the read model from the event store.
 */
@ApplicationScoped
public class ReleaseProjection {

    private final EventStore store;
    private final FeatureRepository features;
    private final FeatureReleaseRepository releases;
    private final RolloutRepository rollouts;
    private final SegmentRepository segments;
    private final FlagSnapshot snapshot;
    private final AfterCommit afterCommit;

    ReleaseProjection(EventStore store, FeatureRepository features, FeatureReleaseRepository releases,
                      RolloutRepository rollouts, SegmentRepository segments, FlagSnapshot snapshot,
                      AfterCommit afterCommit) {
        this.store = store;
        this.features = features;
        this.releases = releases;
        this.rollouts = rollouts;
        this.segments = segments;
        this.snapshot = snapshot;
        this.afterCommit = afterCommit;
    }

    /** Applies one appended event to the read model, and to the snapshot after commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void project(EventEnvelope envelope) {
        afterCommit.run(() -> snapshot.apply(envelope));
        switch ((ReleaseEvent) envelope.data()) {
            case FeatureDefined defined -> define(defined, envelope.time());
            case FeatureReleased released -> {
                FeatureReleaseEntity row = setAudience(released.featureKey(), released.environment(),
                        released.audience(), released.rolloutId(), envelope);
                row.bucketing = Bucketing.named(released.bucketing()).eventName();
                if (released.rolloutId() != null) {
                    rollouts.findByIdOptional(released.rolloutId()).ifPresent(rollout -> {
                        rollout.step++;
                        rollout.percentage = released.audience().percentage();
                    });
                }
            }
            case FeatureRolledBack rolledBack ->
                    setAudience(rolledBack.featureKey(), rolledBack.environment(), Audience.NOBODY, null, envelope);
            case FeatureDefinitionSet set -> {
                FeatureReleaseEntity row = setAudience(set.featureKey(), set.environment(), Audience.NOBODY,
                        set.rolloutId(), envelope);
                row.definition = JsonText.write(set.definition());
                row.segments = JsonText.write(set.segments());
                row.servesNonDefault = FlagDefinition.parse(set.definition(), set.segments()).canServeNonDefault();
                row.bucketing = Bucketing.named(set.bucketing()).eventName();
                if (set.rolloutId() != null && set.stepPercentage() != null) {
                    rollouts.findByIdOptional(set.rolloutId()).ifPresent(rollout -> {
                        rollout.step++;
                        rollout.percentage = set.stepPercentage();
                    });
                }
            }
            case SegmentDefined segment -> {
                String id = SegmentEntity.idOf(segment.environment(), segment.name());
                SegmentEntity row = segments.findByIdOptional(id).orElseGet(SegmentEntity::new);
                row.id = id;
                row.environment = segment.environment();
                row.name = segment.name();
                row.rule = JsonText.write(segment.rule());
                row.sequence = envelope.sequence();
                row.changedAt = envelope.time();
                segments.persist(row);
            }
            case RolloutStarted started -> {
                RolloutEntity row = new RolloutEntity();
                row.rolloutId = started.rolloutId();
                row.featureKey = started.featureKey();
                row.environment = started.environment();
                row.plan = JsonText.write(started.plan());
                row.status = RolloutEntity.ACTIVE;
                row.startedAt = envelope.time();
                row.treatment = started.treatment();
                row.control = started.control();
                rollouts.persist(row);
            }
            case RolloutCompleted completed ->
                    end(completed.rolloutId(), RolloutEntity.COMPLETED, "completed", envelope.time());
            case RolloutAborted aborted -> end(aborted.rolloutId(), RolloutEntity.ABORTED, aborted.reason(),
                    envelope.time());
        }
    }

    /**
     * Sets the audience and clears any definition; a definition's event writes its own columns after this, and a
     * release its bucketing (a rollback keeps the one it had).
     */
    private FeatureReleaseEntity setAudience(String featureKey, String environment, Audience audience,
                                             String rolloutId, EventEnvelope envelope) {
        String id = FeatureReleaseEntity.idOf(featureKey, environment);
        FeatureReleaseEntity row = releases.findByIdOptional(id).orElseGet(FeatureReleaseEntity::new);
        row.id = id;
        row.featureKey = featureKey;
        row.environment = environment;
        row.percentage = audience.percentage();
        row.users = JsonText.write(audience.users());
        row.rolloutId = rolloutId;
        row.sequence = envelope.sequence();
        row.changedAt = envelope.time();
        row.definition = null;
        row.segments = null;
        row.servesNonDefault = false;
        if (row.bucketing == null) {
            row.bucketing = Bucketing.FLAGD_FRACTIONAL.eventName();
        }
        releases.persist(row);
        return row;
    }

    private void end(String rolloutId, String status, String reason, Instant at) {
        rollouts.findByIdOptional(rolloutId).ifPresent(row -> {
            row.status = status;
            row.endReason = reason;
            row.endedAt = at;
        });
    }

    private void define(FeatureDefined defined, Instant at) {
        FeatureEntity row = features.findByIdOptional(defined.featureKey()).orElseGet(() -> {
            FeatureEntity created = new FeatureEntity();
            created.definedAt = at;
            return created;
        });
        row.featureKey = defined.featureKey();
        row.application = defined.application();
        row.description = defined.description();
        features.persist(row);
    }

    /** Throws the read model of this service's own events away and replays the event store into it. */
    @Transactional
    public long rebuild() {
        rollouts.deleteAll();
        releases.deleteAll();
        segments.deleteAll();
        features.deleteAll();
        features.flush();
        long[] replayed = {0};
        store.replay(envelope -> {
            if (envelope.data() instanceof ReleaseEvent) {
                project(envelope);
                replayed[0]++;
            }
        });
        return replayed[0];
    }

    /** Fills a snapshot from the read model: at start-up, before the service reports ready. */
    @Transactional
    public void fill(FlagSnapshot target) {
        features.findAll().stream().map(feature -> feature.featureKey).forEach(target::define);
        for (FeatureReleaseEntity row : releases.listAll()) {
            target.release(row.featureKey, row.environment, row.definition != null
                    ? FlagRelease.of(JsonText.tree(row.definition), JsonText.trees(row.segments), row.sequence,
                    row.rolloutId, Bucketing.named(row.bucketing))
                    : FlagRelease.of(new Audience(row.percentage, JsonText.strings(row.users)), row.sequence,
                    row.rolloutId, Bucketing.named(row.bucketing)));
        }
    }
}
