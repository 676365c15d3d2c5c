package dev.twostep.releasecontroller.service;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.feature.Feature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/** Defines features: from published artefacts, or by hand. */
@ApplicationScoped
public class FeatureService {

    private final EventStore store;
    private final ReleaseProjection projection;

    FeatureService(EventStore store, ReleaseProjection projection) {
        this.store = store;
        this.projection = projection;
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
        store.append(wanted.featureKey(), feature.version(), changes, metadata).forEach(projection::project);
    }
}
