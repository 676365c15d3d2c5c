package dev.twostep.releasecontroller.intake;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.RolloutDecisionEvent;
import dev.twostep.outbox.EventIntake;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.ReleaseService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/** Carries out the rollout analyzer's decisions; the release decides whether a decision still applies. */
@ApplicationScoped
class RolloutDecisionsConsumer {

    private final EventIntake intake;
    private final ReleaseService releases;

    RolloutDecisionsConsumer(EventIntake intake, ReleaseService releases) {
        this.intake = intake;
        this.releases = releases;
    }

    @Incoming("rollout-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, this::apply);
    }

    private void apply(EventEnvelope envelope) {
        if (envelope.data() instanceof RolloutDecisionEvent decision) {
            releases.apply(decision, EventMetadata.causedBy(envelope, "release-controller"));
        }
    }
}
