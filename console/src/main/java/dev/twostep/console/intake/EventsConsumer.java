package dev.twostep.console.intake;

import dev.twostep.console.notification.NotificationQueue;
import dev.twostep.outbox.EventIntake;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Every topic that tells the story, each a whole poll at a time through {@link EventIntake} (inbox, positions and the
 * projection in one transaction; poison to the topic's DLQ). The projection is order-tolerant, so the topics need no
 * coordination among themselves. The notices an event owes are queued in the same transaction.
 */
@ApplicationScoped
class EventsConsumer {

    private final EventIntake intake;
    private final Projection projection;
    private final NotificationQueue notifications;

    EventsConsumer(EventIntake intake, Projection projection, NotificationQueue notifications) {
        this.intake = intake;
        this.projection = projection;
        this.notifications = notifications;
    }

    /** One method for every channel: each keeps its own topic and DLQ, and all apply alike. */
    @Incoming("build-events")
    @Incoming("artefact-events")
    @Incoming("deployment-events")
    @Incoming("release-events")
    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, event -> {
            projection.apply(event);
            // in the same transaction, so a notice is owed exactly when the event is applied; a rebuild, which
            // applies history again through the projection alone, notifies nobody
            notifications.enqueue(event);
        });
    }
}
