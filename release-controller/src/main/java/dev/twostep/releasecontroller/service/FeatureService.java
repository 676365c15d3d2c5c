package dev.twostep.releasecontroller.service;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.CommandPath;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.feature.Feature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.function.Function;

/** Defines features: from published artefacts, or by hand. */
@ApplicationScoped
public class FeatureService {

    private final CommandPath commands;
    private final ReleaseProjection projection;

    FeatureService(CommandPath commands, ReleaseProjection projection) {
        this.commands = commands;
        this.projection = projection;
    }

    /** By hand, in a transaction of its own (or the caller's). */
    public void define(FeatureDefined wanted, EventMetadata metadata) {
        commands.run(() -> decide(wanted.featureKey(), feature -> feature.define(wanted), metadata));
    }

    /** From a published artefact, in the consumed event's transaction together with its inbox row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void discover(FeatureDefined found, EventMetadata metadata) {
        decide(found.featureKey(), feature -> feature.discover(found), metadata);
    }

    private void decide(String featureKey, Function<Feature, List<ReleaseEvent>> decision, EventMetadata metadata) {
        commands.decide(featureKey, Feature::fold, decision, metadata, projection::project);
    }
}
