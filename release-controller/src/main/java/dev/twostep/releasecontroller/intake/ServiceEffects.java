package dev.twostep.releasecontroller.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.DeployedService;
import dev.twostep.releasecontroller.service.DeployedService.CodeChange;
import dev.twostep.releasecontroller.service.FeatureService;
import dev.twostep.releasecontroller.service.ReleaseService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** The {@link DeliveryHandlers}' effects, carried out by the services, in the consumer's transaction. */
@ApplicationScoped
class ServiceEffects implements DeliveryHandlers.Effects {

    private final FeatureService features;
    private final DeployedService deployed;
    private final ReleaseService releases;

    ServiceEffects(FeatureService features, DeployedService deployed, ReleaseService releases) {
        this.features = features;
        this.deployed = deployed;
        this.releases = releases;
    }

    @Override
    public void discover(FeatureDefined feature, EventMetadata metadata) {
        features.discover(feature, metadata);
    }

    @Override
    public List<String> recordArtefact(ArtefactPublished published) {
        return deployed.recordArtefact(published);
    }

    @Override
    public Optional<CodeChange> recordDeployment(DeploymentSucceeded succeeded, EventEnvelope envelope) {
        return deployed.recordDeployment(succeeded, envelope);
    }

    @Override
    public void enforceDeployedCode(CodeChange change, EventMetadata metadata) {
        releases.enforceDeployedCode(change, metadata);
    }

    @Override
    public void carryOut(RolloutDecisionEvent decision, EventMetadata metadata) {
        releases.apply(decision, metadata);
    }
}
