package dev.twostep.releasecontroller.intake;

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
 * Opens the {@link SnapshotFollower}'s consumers with the service's Kafka settings but no consumer group: every
 * replica reads the whole topic, and keeps its positions itself rather than committing them.
 */
@Singleton
class FollowerConsumers {

    private final Map<String, Object> config;

    FollowerConsumers(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "release-controller-snapshot-follower");
    }

    Consumer<String, byte[]> open() {
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
