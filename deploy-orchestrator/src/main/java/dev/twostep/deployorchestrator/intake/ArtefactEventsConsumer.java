package dev.twostep.deployorchestrator.intake;

import dev.twostep.deployorchestrator.service.KnownArtefactService;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/** Published and revoked artefacts decide what may be deployed. */
@ApplicationScoped
class ArtefactEventsConsumer {

    private final EventIntake intake;
    private final KnownArtefactService artefacts;

    ArtefactEventsConsumer(EventIntake intake, KnownArtefactService artefacts) {
        this.intake = intake;
        this.artefacts = artefacts;
    }

    @Incoming("artefact-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, artefacts::apply);
    }
}
