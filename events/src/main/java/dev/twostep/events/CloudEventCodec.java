package dev.twostep.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Maps envelopes to CloudEvents 1.0 Kafka records in binary mode ({@code ce_*} headers, JSON data,
 * record key = aggregate id) and back, through the CloudEvents SDK.
 */
public final class CloudEventCodec {

    public static final String SEQUENCE = "sequence";
    public static final String CORRELATION_ID = "correlationid";
    public static final String CAUSATION_ID = "causationid";
    public static final String ACTOR = "actor";
    public static final String TRACEPARENT = "traceparent";
    private static final String JSON = "application/json";

    private CloudEventCodec() {
    }

    public static CloudEvent toCloudEvent(EventEnvelope envelope) {
        return toCloudEvent(EncodedEvent.of(envelope));
    }

    public static CloudEvent toCloudEvent(EncodedEvent event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id().toString())
                .withSource(URI.create(event.source()))
                .withType(event.type())
                .withSubject(event.subject())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType(JSON)
                .withData(event.data())
                // The CloudEvents sequence extension is a string; ours is the decimal aggregate version.
                .withExtension(SEQUENCE, Long.toString(event.sequence()));
        withOptional(builder, CORRELATION_ID, event.correlationId());
        withOptional(builder, CAUSATION_ID, event.causationId());
        withOptional(builder, ACTOR, event.actor());
        withOptional(builder, TRACEPARENT, event.traceparent());
        return builder.build();
    }

    public static ProducerRecord<String, byte[]> toRecord(EventEnvelope envelope) {
        return toRecord(EncodedEvent.of(envelope));
    }

    public static ProducerRecord<String, byte[]> toRecord(EncodedEvent event) {
        return KafkaMessageFactory.createWriter(event.topic(), event.subject()).writeBinary(toCloudEvent(event));
    }

    public static EventEnvelope fromRecord(ConsumerRecord<?, byte[]> record) {
        return fromRecord(record.headers(), record.value());
    }

    /** Reads a record; anything that is not a well-formed Twostep event is an {@link UndecodableEvent}. */
    public static EventEnvelope fromRecord(Headers headers, byte[] value) {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(headers, value).toEvent();
        } catch (RuntimeException e) {
            throw new UndecodableEvent("not a CloudEvent in binary mode: " + e.getMessage(), e);
        }
        return fromCloudEvent(event);
    }

    public static EventEnvelope fromCloudEvent(CloudEvent event) {
        TwostepEvent data = EventJson.read(event.getType(), event.getData() == null ? null : event.getData().toBytes());
        try {
            return new EventEnvelope(
                    UUID.fromString(event.getId()),
                    String.valueOf(event.getSource()),
                    event.getSubject() == null ? data.aggregateId() : event.getSubject(),
                    Long.parseLong(String.valueOf(event.getExtension(SEQUENCE))),
                    event.getTime() == null ? null : event.getTime().toInstant(),
                    extension(event, CORRELATION_ID),
                    extension(event, CAUSATION_ID),
                    extension(event, ACTOR),
                    extension(event, TRACEPARENT),
                    data);
        } catch (RuntimeException e) {
            throw new UndecodableEvent("invalid CloudEvent attributes: " + e.getMessage(), e);
        }
    }

    private static void withOptional(CloudEventBuilder builder, String name, String value) {
        if (value != null) {
            builder.withExtension(name, value);
        }
    }

    private static String extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? null : value.toString();
    }
}
