package dev.twostep.releasecontroller.intake;

import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent.FeatureDefined;
import dev.twostep.outbox.EventIntake;
import dev.twostep.outbox.EventMetadata;
import dev.twostep.releasecontroller.service.FeatureService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Every feature listed in a published artefact is defined, with the artefact's application. */
@ApplicationScoped
class ArtefactEventsConsumer {

    private final EventIntake intake;
    private final FeatureService features;

    ArtefactEventsConsumer(EventIntake intake, FeatureService features) {
        this.intake = intake;
        this.features = features;
    }

    @Incoming("artefact-events")
    @Blocking
    void consume(ConsumerRecord<String, byte[]> record) {
        intake.accept(record, this::apply);
    }

    private void apply(EventEnvelope envelope) {
        if (envelope.data() instanceof ArtefactPublished published) {
            EventMetadata metadata = EventMetadata.causedBy(envelope, "release-controller");
            for (String featureKey : published.features()) {
                features.define(new FeatureDefined(featureKey, published.name(), null), metadata);
            }
        }
    }
}
