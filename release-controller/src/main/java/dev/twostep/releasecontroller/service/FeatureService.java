package dev.twostep.releasecontroller.service;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.outbox.EventStore;
import dev.twostep.releasecontroller.feature.Feature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.function.Function;

/** Defines features: from published artefacts, or by hand. */
@ApplicationScoped
public class FeatureService {

    private final EventStore store;
    private final ReleaseProjection projection;

    FeatureService(EventStore store, ReleaseProjection projection) {
        this.store = store;
        this.projection = projection;
    }

    /** By hand, in the HTTP request's transaction. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void define(FeatureDefined wanted, EventMetadata metadata) {
        decide(wanted.featureKey(), feature -> feature.define(wanted), metadata);
    }

    /** From a published artefact, in the consumed event's transaction together with its inbox row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void discover(FeatureDefined found, EventMetadata metadata) {
        decide(found.featureKey(), feature -> feature.discover(found), metadata);
    }

    private void decide(String featureKey, Function<Feature, List<ReleaseEvent>> decision, EventMetadata metadata) {
        Feature feature = Feature.fold(store.load(featureKey).stream().map(e -> (ReleaseEvent) e.data()).toList());
        List<ReleaseEvent> changes = decision.apply(feature);
        if (!changes.isEmpty()) {
            store.append(featureKey, feature.version(), changes, metadata).forEach(projection::project);
        }
    }
}
