package dev.twostep.artifactregistry.intake;

import dev.twostep.artifactregistry.service.ArtefactService;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.EventIntake;
import dev.twostep.outbox.EventMetadata;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/** Every artefact of a successful build becomes a published version, in the build's story. */
@ApplicationScoped
class BuildEventsConsumer {

    private final EventIntake intake;
    private final ArtefactService artefacts;

    BuildEventsConsumer(EventIntake intake, ArtefactService artefacts) {
        this.intake = intake;
        this.artefacts = artefacts;
    }

    @Incoming("build-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, this::apply);
    }

    private void apply(EventEnvelope envelope) {
        if (!(envelope.data() instanceof BuildCompleted build) || build.outcome() != Outcome.SUCCEEDED) {
            return;
        }
        EventMetadata metadata = EventMetadata.causedBy(envelope, "artifact-registry");
        for (var artefact : build.artefacts()) {
            artefacts.publish(new ArtefactPublished(artefact.name(), artefact.version(), artefact.digest(),
                    artefact.uri(), build.buildId(), build.runUrl(), build.repository(), build.commit(),
                    artefact.features(), envelope.time()), metadata);
        }
    }
}
