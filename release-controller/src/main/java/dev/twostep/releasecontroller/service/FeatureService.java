package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.feature.Feature;
import dev.twostep.releasecontroller.view.FeatureEntity;
import dev.twostep.releasecontroller.view.FeatureRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** Defines features: from published artefacts, or by hand. */
@ApplicationScoped
public class FeatureService {

    private final EventStore store;
    private final FeatureRepository features;
    private final FlagSnapshot snapshot;
    private final AfterCommit afterCommit;

    FeatureService(EventStore store, FeatureRepository features, FlagSnapshot snapshot, AfterCommit afterCommit) {
        this.store = store;
        this.features = features;
        this.snapshot = snapshot;
        this.afterCommit = afterCommit;
    }

    /** Runs in the caller's transaction: an HTTP request's, or a consumed event's together with its inbox row. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void define(FeatureDefined wanted, EventMetadata metadata) {
        Feature feature = Feature.fold(store.load(wanted.featureKey()).stream()
                .map(e -> (ReleaseEvent) e.data()).toList());
        List<ReleaseEvent> changes = feature.define(wanted);
        if (changes.isEmpty()) {
            return;
        }
        for (EventEnvelope appended : store.append(wanted.featureKey(), feature.version(), changes, metadata)) {
            FeatureDefined defined = (FeatureDefined) appended.data();
            FeatureEntity row = features.findByIdOptional(defined.featureKey()).orElseGet(() -> {
                FeatureEntity created = new FeatureEntity();
                created.definedAt = appended.time();
                return created;
            });
            row.featureKey = defined.featureKey();
            row.application = defined.application();
            row.description = defined.description();
            features.persist(row);
            afterCommit.run(() -> snapshot.define(defined.featureKey()));
        }
    }
}
