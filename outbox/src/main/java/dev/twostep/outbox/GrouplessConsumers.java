package dev.twostep.outbox;

import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Opens Kafka consumers that belong to no consumer group, for a reader that must see a whole topic by itself: a
 * replica following every release, or a rebuild from the beginning. Such a consumer assigns itself partitions, keeps
 * its positions itself and commits nothing. It takes the connector's Kafka settings ({@code kafka.*}), so it reaches
 * the broker however the channels do (SASL and TLS on a cluster), not only by the bootstrap servers.
 */
@Singleton
public class GrouplessConsumers {

    private final Map<String, Object> settings;

    protected GrouplessConsumers(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        settings = new HashMap<>(kafkaConfig);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /**
     * A new consumer, named {@code clientId} in the broker's logs and metrics, with {@code overrides} on top of the
     * connector's settings. The caller closes it.
     */
    public Consumer<String, byte[]> open(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(settings);
        config.putAll(overrides);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
