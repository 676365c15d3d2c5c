package dev.twostep.rolloutanalyzer.intake;

import dev.twostep.outbox.EventIntake;
import dev.twostep.rolloutanalyzer.service.RolloutTracking;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
    void consume(ConsumerRecord<String, byte[]> record) {
        intake.accept(record, tracking::apply);
    }
}
