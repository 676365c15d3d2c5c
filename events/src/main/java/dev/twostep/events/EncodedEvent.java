package dev.twostep.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An event whose data is already JSON: the envelope's attributes with the data as bytes. An event store keeps
 * events this way, so the outbox relay publishes them as stored, without reading them into records and
 * writing them again.
 */
public record EncodedEvent(UUID id, String source, String subject, long sequence, Instant time, String correlationId,
                           String causationId, String actor, String traceparent, String type, byte[] data) {

    public static EncodedEvent of(EventEnvelope envelope) {
        return new EncodedEvent(envelope.id(), envelope.source(), envelope.subject(), envelope.sequence(),
                envelope.time(), envelope.correlationId(), envelope.causationId(), envelope.actor(),
                envelope.traceparent(), envelope.type(), EventJson.write(envelope.data()));
    }

    public String topic() {
        return Topics.of(EventTypes.classOf(type)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + type)));
    }
}
