package dev.twostep.console.intake;

import dev.twostep.console.notification.NotificationQueue;
import dev.twostep.events.TwostepEvent;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Every topic that tells the story, each a whole poll at a time through {@link EventIntake} (inbox, positions and the
 * projection in one transaction; poison to the topic's DLQ). Every event goes to the {@link Projection}, which picks
 * what it uses, and queues the notices it owes in the same transaction. The projection is order-tolerant, so the
 * topics need no coordination among themselves. The channels are named here because SmallRye reads channel names
 * from annotations.
 */
@ApplicationScoped
class KafkaChannels {

    private final EventIntake intake;
    private final EventHandlers handlers;

    KafkaChannels(EventIntake intake, Projection projection, NotificationQueue notifications) {
        this.handlers = EventHandlers.on(TwostepEvent.class, (event, envelope) -> {
            projection.apply(envelope);
            // in the same transaction, so a notice is owed exactly when the event is applied; a rebuild, which
            // applies history again through the projection alone, notifies nobody
            notifications.enqueue(envelope);
        });
        this.intake = intake;
    }

    /** One method for every channel: each keeps its own topic and DLQ, and all apply alike. */
    @Incoming("build-events")
    @Incoming("artefact-events")
    @Incoming("deployment-events")
    @Incoming("release-events")
    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }
}
