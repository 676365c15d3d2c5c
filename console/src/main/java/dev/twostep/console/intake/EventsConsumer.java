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

    @Incoming("build-events")
    @Blocking
    CompletionStage<Void> builds(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }

    @Incoming("artefact-events")
    @Blocking
    CompletionStage<Void> artefacts(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }

    @Incoming("deployment-events")
    @Blocking
    CompletionStage<Void> deployments(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }

    @Incoming("release-events")
    @Blocking
    CompletionStage<Void> releases(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }

    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> rollouts(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, projection::apply);
    }
}
