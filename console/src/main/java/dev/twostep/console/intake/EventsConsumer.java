package dev.twostep.console.intake;

import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Every topic that tells the story, each a whole poll at a time through {@link EventIntake} (inbox, positions and the
 * projection in one transaction; poison to the topic's DLQ). The projection is order-tolerant, so the topics need no
 * coordination among themselves.
 */
@ApplicationScoped
class EventsConsumer {

    private final EventIntake intake;
    private final Projection projection;

    EventsConsumer(EventIntake intake, Projection projection) {
        this.intake = intake;
        this.projection = projection;
    }

    /** One method for every channel: each keeps its own topic and DLQ, and all apply alike. */
    @Incoming("build-events")
    @Incoming("artefact-events")
    @Incoming("deployment-events")
    @Incoming("release-events")
    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }
}
