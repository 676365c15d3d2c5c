package dev.twostep.releasecontroller.intake;

import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * The release-controller's Kafka channels, each handed whole to {@link EventIntake} with the
 * {@link DeliveryHandlers}, by a method of its own so that each channel's polls are applied in order without waiting
 * for another channel's. The channels are named here because SmallRye reads channel names from annotations.
 */
@ApplicationScoped
class KafkaChannels {

    private final EventIntake intake;
    private final EventHandlers handlers;

    KafkaChannels(EventIntake intake, ServiceEffects effects) {
        this.handlers = new DeliveryHandlers(effects).handlers();
        this.intake = intake;
    }

    @Incoming("artefact-events")
    @Blocking
    CompletionStage<Void> artefactEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }

    @Incoming("deployment-events")
    @Blocking
    CompletionStage<Void> deploymentEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }

    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> rolloutEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }
}
