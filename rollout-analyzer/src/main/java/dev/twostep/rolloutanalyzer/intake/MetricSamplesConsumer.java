package dev.twostep.rolloutanalyzer.intake;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.outbox.EventIntake;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/** Samples on {@code twostep.metrics}; an invalid one fails to decode and goes to the DLQ, never counted. */
@ApplicationScoped
class MetricSamplesConsumer {

    private final EventIntake intake;
    private final MetricSamples samples;

    MetricSamplesConsumer(EventIntake intake, MetricSamples samples) {
        this.intake = intake;
        this.samples = samples;
    }

    @Incoming("metric-samples")
    @Blocking
    void consume(ConsumerRecord<String, byte[]> record) {
        intake.accept(record, envelope -> {
            if (envelope.data() instanceof MetricSampleRecorded sample) {
                samples.record(List.of(sample));
            }
        });
    }
}
