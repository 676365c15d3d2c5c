package dev.twostep.rolloutanalyzer.intake;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.outbox.EventIntake;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CompletionStage;

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
    CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, envelope -> {
            if (envelope.data() instanceof MetricSampleRecorded sample) {
                samples.record(List.of(sample));
            }
        });
    }
}
