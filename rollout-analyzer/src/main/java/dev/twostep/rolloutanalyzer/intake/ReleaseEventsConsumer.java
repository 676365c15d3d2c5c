package dev.twostep.rolloutanalyzer.intake;

import dev.twostep.outbox.EventIntake;
import dev.twostep.rolloutanalyzer.service.RolloutTracking;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/** The release-controller's events tell the analyzer which rollouts run, with which plan, and at which step. */
@ApplicationScoped
class ReleaseEventsConsumer {

    private final EventIntake intake;
    private final RolloutTracking tracking;

    ReleaseEventsConsumer(EventIntake intake, RolloutTracking tracking) {
        this.intake = intake;
        this.tracking = tracking;
    }

    @Incoming("release-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, tracking::apply);
    }
}
