package dev.twostep.releasecontroller.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventIntake;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.DeployedService;
import dev.twostep.releasecontroller.service.DeployedService.CodeChange;
import dev.twostep.releasecontroller.service.FeatureService;
import dev.twostep.releasecontroller.service.ReleaseService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/**
 * Every feature listed in a published artefact is defined, with the artefact's application, and the
 * artefact's features are remembered for "release needs deploy".
 */
@ApplicationScoped
class ArtefactEventsConsumer {

    private final EventIntake intake;
    private final FeatureService features;
    private final DeployedService deployed;
    private final ReleaseService releases;

    ArtefactEventsConsumer(EventIntake intake, FeatureService features, DeployedService deployed,
                           ReleaseService releases) {
        this.intake = intake;
        this.features = features;
        this.deployed = deployed;
        this.releases = releases;
    }

    @Incoming("artefact-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, this::apply);
    }

    private void apply(EventEnvelope envelope) {
        if (envelope.data() instanceof ArtefactPublished published) {
            EventMetadata metadata = EventMetadata.causedBy(envelope, "release-controller");
            for (String featureKey : published.features()) {
                features.discover(new FeatureDefined(featureKey, published.name(), null), metadata);
            }
            // A deploy of this version may have been seen first; now its contents are known.
            for (String environment : deployed.recordArtefact(published)) {
                releases.enforceDeployedCode(new CodeChange(environment, published.name(), null), metadata);
            }
        }
    }
}
