package dev.twostep.releasecontroller.intake;

import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.EventEnvelope;
import dev.twostep.outbox.EventIntake;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.DeployedService;
import dev.twostep.releasecontroller.service.ReleaseService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import java.util.concurrent.CompletionStage;

/**
 * Learns what runs where from DeploymentSucceeded only (a rollback arrives as the success of a new
 * deployment of the previous version), then rolls back released features whose code went away.
 */
@ApplicationScoped
class DeploymentEventsConsumer {

    private final EventIntake intake;
    private final DeployedService deployed;
    private final ReleaseService releases;

    DeploymentEventsConsumer(EventIntake intake, DeployedService deployed, ReleaseService releases) {
        this.intake = intake;
        this.deployed = deployed;
        this.releases = releases;
    }

    @Incoming("deployment-events")
    @Blocking
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, this::apply);
    }

    private void apply(EventEnvelope envelope) {
        if (envelope.data() instanceof DeploymentSucceeded succeeded && succeeded.application() != null
                && succeeded.version() != null && succeeded.environment() != null) {
            deployed.recordDeployment(succeeded, envelope).ifPresent(change -> releases.enforceDeployedCode(change,
                    EventMetadata.causedBy(envelope, "release-controller")));
        }
    }
}
