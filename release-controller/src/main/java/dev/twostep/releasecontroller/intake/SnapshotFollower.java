package dev.twostep.releasecontroller.intake;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.Topics;
import dev.twostep.events.UndecodableEvent;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps this replica's flag snapshot in step with the releases that other replicas commit. Every replica reads the
 * whole release topic by itself, with no consumer group: each must see every release, none depends on another's
 * progress, and no offsets are kept, because the snapshot keeps the newest sequence of each flag, so reading
 * from the start again after a restart is harmless. Records that are not release events are skipped: dead-lettering
 * them is the job of the services that consume this topic for their effects.
 */
@ApplicationScoped
class SnapshotFollower {

    private static final Logger LOG = Logger.getLogger(SnapshotFollower.class);

    private final FlagSnapshot snapshot;
    private final Map<String, Object> kafkaConfig;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;

    SnapshotFollower(FlagSnapshot snapshot, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.snapshot = snapshot;
        this.kafkaConfig = kafkaConfig;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        Thread.ofPlatform().name("release-snapshot-follower").daemon().start(this::follow);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Reads until shutdown; when the broker cannot be reached it tries again, from the start, a moment later. */
    private void follow() {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "release-controller-snapshot-follower");
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                List<TopicPartition> partitions = kafka.partitionsFor(Topics.RELEASE_EVENTS, Duration.ofMinutes(1))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                        apply(record);
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot follow %s for the flag snapshot, trying again in 5 s: %s", Topics.RELEASE_EVENTS,
                        e.getMessage());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            snapshot.apply(CloudEventCodec.fromRecord(record));
        } catch (UndecodableEvent e) {
            LOG.debugf("skipping %s-%d@%d for the snapshot: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }
}
