package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.FeatureRolledBack;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.problems.ProblemException;
import dev.twostep.releasecontroller.evaluation.FlagRelease;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.release.DeployedCode;
import dev.twostep.releasecontroller.release.Release;
import dev.twostep.releasecontroller.release.Rollout;
import dev.twostep.releasecontroller.view.FeatureReleaseEntity;
import dev.twostep.releasecontroller.view.FeatureReleaseRepository;
import dev.twostep.releasecontroller.view.FeatureRepository;
import dev.twostep.releasecontroller.view.JsonText;
import dev.twostep.releasecontroller.view.RolloutEntity;
import dev.twostep.releasecontroller.view.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decides on releases and rollouts and, in the same transaction, appends the events and keeps the
 * read model; the in-memory flag snapshot follows once the transaction has committed.
 */
@ApplicationScoped
public class ReleaseService {

    private final EventStore store;
    private final FeatureRepository features;
    private final FeatureReleaseRepository releases;
    private final RolloutRepository rollouts;
    private final DeployedService deployed;
    private final FlagSnapshot snapshot;
    private final AfterCommit afterCommit;

    ReleaseService(EventStore store, FeatureRepository features, FeatureReleaseRepository releases,
                   RolloutRepository rollouts, DeployedService deployed, FlagSnapshot snapshot,
                   AfterCommit afterCommit) {
        this.store = store;
        this.features = features;
        this.releases = releases;
        this.rollouts = rollouts;
        this.deployed = deployed;
        this.snapshot = snapshot;
        this.afterCommit = afterCommit;
    }

    @Transactional
    public void setAudience(String featureKey, String environment, Audience audience, String reason,
                            EventMetadata metadata) {
        boolean codeDeployed = codeDeployed(featureKey, environment);
        decideAndAppend(featureKey, metadata,
                release -> release.setAudience(environment, audience, reason, codeDeployed));
    }

    @Transactional
    public void rollBack(String featureKey, String environment, String reason, EventMetadata metadata) {
        decideAndAppend(featureKey, metadata, release -> release.rollBack(environment, reason));
    }

    /** @return the new rollout's id */
    @Transactional
    public String startRollout(String featureKey, String environment, Plan plan, EventMetadata metadata) {
        String rolloutId = "ro-" + UUID.randomUUID();
        boolean codeDeployed = codeDeployed(featureKey, environment);
        decideAndAppend(featureKey, metadata,
                release -> release.startRollout(rolloutId, environment, plan, codeDeployed));
        return rolloutId;
    }

    /** Runs in the consumer's transaction, together with the decision's inbox row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(RolloutDecisionEvent decision, EventMetadata metadata) {
        List<EventEnvelope> rollout = store.load(decision.rolloutId());
        if (!rollout.isEmpty() && rollout.getFirst().data() instanceof RolloutStarted started) {
            decideAndAppend(started.featureKey(), metadata, release -> release.decide(decision));
        }
    }

    /**
     * Keeps "a released feature's code runs where it is released": every feature switched on in the
     * environment whose code no longer runs there is rolled back by itself.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enforceDeployedCode(String environment, EventMetadata metadata) {
        DeployedCode code = deployed.in(environment);
        for (FeatureReleaseEntity row : releases.switchedOnIn(environment)) {
            String application = features.findByIdOptional(row.featureKey).map(f -> f.application).orElse(null);
            if (code.presenceOf(row.featureKey, application) == DeployedCode.Presence.ABSENT) {
                decideAndAppend(row.featureKey, metadata, release -> release.codeGone(environment));
            }
        }
    }

    private boolean codeDeployed(String featureKey, String environment) {
        String application = features.findByIdOptional(featureKey).map(f -> f.application).orElse(null);
        return deployed.in(environment).presenceOf(featureKey, application) == DeployedCode.Presence.DEPLOYED;
    }

    /** The feature's stream and the streams of the latest rollout in each environment (older ones have ended). */
    Release load(String featureKey) {
        List<ReleaseEvent> featureStream = events(featureKey);
        Map<String, String> latestRolloutPerEnvironment = new HashMap<>();
        for (ReleaseEvent event : featureStream) {
            if (event instanceof FeatureReleased released && released.rolloutId() != null) {
                latestRolloutPerEnvironment.put(released.environment(), released.rolloutId());
            }
        }
        List<ReleaseEvent> rolloutStreams = latestRolloutPerEnvironment.values().stream()
                .flatMap(rolloutId -> events(rolloutId).stream()).toList();
        return Release.fold(featureKey, featureStream, rolloutStreams);
    }

    private List<ReleaseEvent> events(String aggregateId) {
        return store.load(aggregateId).stream().map(e -> (ReleaseEvent) e.data()).toList();
    }

    private void decideAndAppend(String featureKey, EventMetadata metadata,
                                 Function<Release, List<ReleaseEvent>> decision) {
        Release release = load(featureKey);
        List<ReleaseEvent> events;
        try {
            events = decision.apply(release);
        } catch (Release.Refused refused) {
            throw refused.kind() == Release.Refused.Kind.NOT_FOUND ? ProblemException.notFound(refused.getMessage())
                    : ProblemException.conflict(refused.getMessage());
        }
        // The events may belong to two streams (the feature and a rollout); each run of one stream is
        // appended after that stream's current version, in the order decided.
        Map<String, Long> versions = new LinkedHashMap<>();
        versions.put(featureKey, release.version());
        int start = 0;
        while (start < events.size()) {
            String aggregateId = events.get(start).aggregateId();
            int end = start;
            while (end < events.size() && events.get(end).aggregateId().equals(aggregateId)) {
                end++;
            }
            long expected = versions.computeIfAbsent(aggregateId,
                    id -> release.rollout(id).map(Rollout::version).orElse(0L));
            store.append(aggregateId, expected, events.subList(start, end), metadata).forEach(this::project);
            versions.put(aggregateId, expected + (end - start));
            start = end;
        }
    }

    /** Applies one appended event to the read model, and to the snapshot after commit. */
    private void project(EventEnvelope envelope) {
        switch ((ReleaseEvent) envelope.data()) {
            case FeatureDefined ignored -> {
                // FeatureService keeps the feature row.
            }
            case FeatureReleased released -> {
                setAudience(released.featureKey(), released.environment(), released.audience(),
                        released.rolloutId(), envelope);
                if (released.rolloutId() != null) {
                    rollouts.findByIdOptional(released.rolloutId()).ifPresent(rollout -> {
                        rollout.step++;
                        rollout.percentage = released.audience().percentage();
                    });
                }
            }
            case FeatureRolledBack rolledBack ->
                    setAudience(rolledBack.featureKey(), rolledBack.environment(), Audience.NOBODY, null, envelope);
            case RolloutStarted started -> {
                RolloutEntity row = new RolloutEntity();
                row.rolloutId = started.rolloutId();
                row.featureKey = started.featureKey();
                row.environment = started.environment();
                row.plan = JsonText.write(started.plan());
                row.status = RolloutEntity.ACTIVE;
                row.startedAt = envelope.time();
                rollouts.persist(row);
            }
            case RolloutCompleted completed ->
                    end(completed.rolloutId(), RolloutEntity.COMPLETED, "completed", envelope.time());
            case RolloutAborted aborted -> end(aborted.rolloutId(), RolloutEntity.ABORTED, aborted.reason(),
                    envelope.time());
        }
    }

    private void setAudience(String featureKey, String environment, Audience audience, String rolloutId,
                             EventEnvelope envelope) {
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
        releases.persist(row);
        FlagRelease flag = FlagRelease.of(audience, envelope.sequence(), rolloutId);
        afterCommit.run(() -> snapshot.release(featureKey, environment, flag));
    }

    private void end(String rolloutId, String status, String reason, Instant at) {
        rollouts.findByIdOptional(rolloutId).ifPresent(row -> {
            row.status = status;
            row.endReason = reason;
            row.endedAt = at;
        });
    }

    /** Fills a snapshot from the read model: at start-up, before the service reports ready. */
    @Transactional
    public void fill(FlagSnapshot target) {
        features.findAll().stream().map(feature -> feature.featureKey).forEach(target::define);
        for (FeatureReleaseEntity row : releases.listAll()) {
            target.release(row.featureKey, row.environment, FlagRelease.of(
                    new Audience(row.percentage, JsonText.strings(row.users)), row.sequence, row.rolloutId));
        }
    }
}
