package dev.twostep.deployorchestrator.intake;

import dev.twostep.deployorchestrator.service.KnownArtefactService;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * The orchestrator's Kafka channel, handed whole to {@link EventIntake}: published and revoked artefacts decide what
 * may be deployed ({@link KnownArtefactService}); a rejected publish changes nothing. The channel is named here
 * because SmallRye reads channel names from annotations.
 */
@ApplicationScoped
class KafkaChannels {

    private final EventIntake intake;
    private final EventHandlers handlers;

    KafkaChannels(EventIntake intake, KnownArtefactService artefacts) {
        this.handlers = EventHandlers.on(ArtefactPublished.class, (published, envelope) -> artefacts.apply(envelope))
                .and(ArtefactRevoked.class, (revoked, envelope) -> artefacts.apply(envelope));
        this.intake = intake;
    }

    @Incoming("artefact-events")
    @Blocking
    CompletionStage<Void> artefactEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }
}
