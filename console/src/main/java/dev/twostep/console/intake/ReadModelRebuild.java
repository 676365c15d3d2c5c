package dev.twostep.console.intake;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.Topics;
import dev.twostep.events.UndecodableEvent;
import dev.twostep.outbox.GrouplessConsumers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the read model from the beginning of the topics: empties it, then reads every topic the console consumes
 * from offset 0 to the end offsets seen after emptying it, and applies each event through the same
 * {@link Projection}, a thousand events per transaction. The live consumers may go on meanwhile: the projection only
 * inserts by event id, so an event applied by both is kept once, and everything applied before the emptying is
 * below the end offsets read after it.
 */
@ApplicationScoped
public class ReadModelRebuild {

    private static final Logger LOG = Logger.getLogger(ReadModelRebuild.class);
    static final List<String> TOPICS = List.of(Topics.BUILD_EVENTS, Topics.ARTEFACT_EVENTS, Topics.DEPLOYMENT_EVENTS,
            Topics.RELEASE_EVENTS, Topics.ROLLOUT_EVENTS);
    private static final int PER_TRANSACTION = 1000;

    private final AgroalDataSource dataSource;
    private final Projection projection;
    private final GrouplessConsumers consumers;

    ReadModelRebuild(AgroalDataSource dataSource, Projection projection, GrouplessConsumers consumers) {
        this.dataSource = dataSource;
        this.projection = projection;
        this.consumers = consumers;
    }

    /** How a rebuild went: events applied, records that are not events the console can read, and how long it took. */
    public record Rebuilt(long events, long undecodable, double seconds, double eventsPerSecond) {
    }

    public synchronized Rebuilt fromBeginning() {
        long started = System.nanoTime();
        empty();
        long applied = 0;
        long undecodable = 0;
        try (Consumer<String, byte[]> consumer = consumers.open("console-read-model-rebuild",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<EventEnvelope> pending = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    try {
                        pending.add(CloudEventCodec.fromRecord(record));
                    } catch (UndecodableEvent e) {
                        undecodable++;
                    }
                    if (pending.size() == PER_TRANSACTION) {
                        applied += apply(pending);
                    }
                }
            }
            applied += apply(pending);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof("read model rebuilt from %d events (%d undecodable records skipped) in %.1f s", applied, undecodable,
                seconds);
        return new Rebuilt(applied, undecodable, seconds, applied / seconds);
    }

    private int apply(List<EventEnvelope> events) {
        int count = events.size();
        if (count > 0) {
            List<EventEnvelope> batch = List.copyOf(events);
            QuarkusTransaction.requiringNew().run(() -> batch.forEach(projection::apply));
            events.clear();
        }
        return count;
    }

    private void empty() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE delivery_fact, artefact_version, build, feature_application, deployed_pair,"
                    + " change_log, event_log");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the read model", e);
        }
    }
}
