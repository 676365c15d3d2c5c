package dev.twostep.deployorchestrator.intake;

import dev.twostep.deployorchestrator.service.KnownArtefactService;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
    void consume(ConsumerRecord<String, byte[]> record) {
        intake.accept(record, artefacts::apply);
    }
}
