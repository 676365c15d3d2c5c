package dev.twostep.releasecontroller.service;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.feature.Feature;
import dev.twostep.releasecontroller.view.FeatureEntity;
import dev.twostep.releasecontroller.view.FeatureRepository;
import dev.twostep.releasecontroller.view.FeatureView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class FeatureService {

    private final EventStore store;
    private final FeatureRepository features;

    FeatureService(EventStore store, FeatureRepository features) {
        this.store = store;
        this.features = features;
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
        }
    }

    public Optional<FeatureView> find(String featureKey) {
        return features.findByIdOptional(featureKey).map(FeatureView::of);
    }
}
