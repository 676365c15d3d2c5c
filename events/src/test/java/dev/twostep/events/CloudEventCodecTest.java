package dev.twostep.events;

import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventCodecTest {

    private final EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), "/twostep/artifact-registry",
            "checkout@1.4.0", 3, Instant.parse("2026-11-20T10:00:00Z"), "corr-1", "cause-1", "alice",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            new ArtefactRevoked("checkout", "1.4.0", "CVE"));

    @Test
    void writesBinaryModeWithOurExtensionsAndTheAggregateAsKey() {
        ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(envelope);

        assertThat(record.topic()).isEqualTo(Topics.ARTEFACT_EVENTS);
        assertThat(record.key()).isEqualTo("checkout@1.4.0");
        assertThat(header(record, "ce_type")).isEqualTo("dev.twostep.artefact.revoked.v1");
        assertThat(header(record, "ce_sequence")).isEqualTo("3");
        assertThat(header(record, "ce_correlationid")).isEqualTo("corr-1");
        assertThat(header(record, "ce_causationid")).isEqualTo("cause-1");
        assertThat(header(record, "ce_actor")).isEqualTo("alice");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"reason\":\"CVE\"");
    }

    @Test
    void readsBackTheSameEnvelope() {
        ProducerRecord<String, byte[]> sent = CloudEventCodec.toRecord(envelope);
        ConsumerRecord<String, byte[]> received = new ConsumerRecord<>(sent.topic(), 0, 0, sent.key(), sent.value());
        sent.headers().forEach(h -> received.headers().add(h));

        assertThat(CloudEventCodec.fromRecord(received)).isEqualTo(envelope);
    }

    @Test
    void aRecordWithoutCloudEventHeadersIsUndecodable() {
        assertThatThrownBy(() -> CloudEventCodec.fromRecord(new RecordHeaders(), "{}".getBytes()))
                .isInstanceOf(UndecodableEvent.class);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
