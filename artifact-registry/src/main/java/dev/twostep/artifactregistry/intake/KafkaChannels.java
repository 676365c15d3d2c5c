package dev.twostep.artifactregistry.intake;

import dev.twostep.artifactregistry.service.ArtefactService;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * The registry's Kafka channel, handed whole to {@link EventIntake} with the {@link BuildHandlers}. The channel is
 * named here because SmallRye reads channel names from annotations; what is done with each event is not.
 */
@ApplicationScoped
class KafkaChannels {

    private final EventIntake intake;
    private final EventHandlers handlers;

    KafkaChannels(EventIntake intake, ArtefactService artefacts) {
        this.handlers = new BuildHandlers(artefacts::publish).handlers();
        this.intake = intake;
    }

    @Incoming("build-events")
    @Blocking
    CompletionStage<Void> buildEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }
}
