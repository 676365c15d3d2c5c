package dev.twostep.rolloutanalyzer.intake;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.outbox.EventHandlers;
import dev.twostep.outbox.EventIntake;
import dev.twostep.rolloutanalyzer.metrics.MetricSamples;
import dev.twostep.rolloutanalyzer.service.RolloutTracking;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The analyzer's Kafka channels, each handed whole to {@link EventIntake} by a method of its own, so that each
 * channel's polls are applied in order without waiting for the other channel's:
 * <ul>
 *   <li>the release-controller's events tell which rollouts run, with which plan, and at which step
 *       ({@link RolloutTracking}); its access events are ignored;</li>
 *   <li>samples on {@code twostep.metrics} are stored once each; an invalid one fails to decode and goes to the DLQ,
 *       never counted.</li>
 * </ul>
 * The channels are named here because SmallRye reads channel names from annotations.
 */
@ApplicationScoped
class KafkaChannels {

    private final EventIntake intake;
    private final EventHandlers handlers;

    KafkaChannels(EventIntake intake, RolloutTracking tracking, MetricSamples samples) {
        this.handlers = EventHandlers.on(ReleaseEvent.class, (event, envelope) -> tracking.apply(envelope))
                .and(MetricSampleRecorded.class, (sample, envelope) -> samples.record(List.of(sample)));
        this.intake = intake;
    }

    @Incoming("release-events")
    @Blocking
    CompletionStage<Void> releaseEvents(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }

    @Incoming("metric-samples")
    @Blocking
    CompletionStage<Void> metricSamples(KafkaRecordBatch<String, byte[]> batch) {
        return intake.accept(batch, handlers);
    }
}
