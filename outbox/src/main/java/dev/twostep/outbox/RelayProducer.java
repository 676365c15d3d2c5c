package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EncodedEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The {@link OutboxRelay}'s side of Kafka: an idempotent producer with acks=all, made when the first batch goes out
 * and thrown away whenever the relay fails, so that a new leader never shares one with the events it resends.
 */
final class RelayProducer {

    private final Map<String, Object> kafkaConfig;
    private final String clientId;
    private volatile KafkaProducer<String, byte[]> producer;

    RelayProducer(Map<String, Object> kafkaConfig, String clientId) {
        this.kafkaConfig = kafkaConfig;
        this.clientId = clientId;
    }

    /** Hands the events to Kafka in order; each future completes when Kafka acknowledged its event. */
    List<Future<RecordMetadata>> send(List<EncodedEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(events.size());
        for (EncodedEvent event : events) {
            acknowledgements.add(kafka.send(CloudEventCodec.toRecord(event)));
        }
        return acknowledgements;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            // A relay read sends up to a whole batch at once: larger producer batches carry it in fewer requests
            // without adding latency to a single event.
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /**
     * Closes the producer; after a failure at once, so that nothing it still holds goes out behind the events the
     * next leader sends again from the saved cursor.
     */
    void close(Duration timeout) {
        KafkaProducer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(timeout);
        }
    }
}
