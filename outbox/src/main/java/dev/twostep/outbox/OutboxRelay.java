package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EncodedEvent;
import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the outbox to Kafka, in outbox order, and marks what was sent.
 *
 * <p>Why this is safe:
 * <ul>
 *   <li>Rows are only marked after Kafka acknowledged them (acks=all, idempotent producer), so a crash
 *       anywhere loses nothing: unsent rows go out after the restart.</li>
 *   <li>A crash after the acknowledgement but before the mark sends those rows again; consumers
 *       deduplicate on the event id, so nothing is applied twice.</li>
 *   <li>One relay per database publishes at a time (a transaction-scoped advisory lock), and the
 *       idempotent producer keeps at most five batches in flight without reordering, so one
 *       aggregate's events reach its partition in sequence order.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SELECT_UNSENT = """
            SELECT o.id AS outbox_id, e.* FROM outbox o JOIN event_store e ON e.event_id = o.event_id
            WHERE o.id > ? AND o.sent_at IS NULL ORDER BY o.id LIMIT ?""";

    private final AgroalDataSource dataSource;
    private final Map<String, Object> kafkaConfig;
    private final EventMetrics metrics;
    private final String source;
    private final boolean enabled;
    private final int batchSize;
    private final Duration idlePoll;
    private final Semaphore wakeUps = new Semaphore(0);

    private volatile KafkaProducer<String, byte[]> producer;
    private volatile Thread worker;
    private volatile boolean running;
    private volatile Instant lastHealthyAt = Instant.now();
    /**
     * Where the previous full batch ended. Starting the next scan there keeps a large backlog linear:
     * the rows behind it were just marked sent. A transaction that commits late with a lower id is
     * picked up by the next pass that starts from zero, which every non-full pass triggers.
     */
    private volatile long resumeAfterId;

    OutboxRelay(AgroalDataSource dataSource, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                EventMetrics metrics, @ConfigProperty(name = "twostep.service.name") String service,
                @ConfigProperty(name = "twostep.outbox.relay.enabled", defaultValue = "true") boolean enabled,
                @ConfigProperty(name = "twostep.outbox.relay.batch-size", defaultValue = "1000") int batchSize,
                @ConfigProperty(name = "twostep.outbox.relay.idle-poll", defaultValue = "PT0.5S") Duration idlePoll) {
        this.dataSource = dataSource;
        this.kafkaConfig = kafkaConfig;
        this.metrics = metrics;
        this.source = EventEnvelope.sourceOf(service);
        this.enabled = enabled;
        this.batchSize = batchSize;
        this.idlePoll = idlePoll;
    }

    void start(@Observes StartupEvent startup) {
        if (enabled) {
            running = true;
            worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        wake();
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Called after a commit that appended events, so they go out now rather than at the next poll. */
    public void wake() {
        wakeUps.release();
    }

    /** When the relay last completed a pass without error; readiness uses it. */
    public Instant lastHealthyAt() {
        return lastHealthyAt;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                int sent = publishPending();
                lastHealthyAt = Instant.now();
                backoff = Duration.ofMillis(100);
                if (sent < batchSize) {
                    wakeUps.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay pass failed, retrying in %d ms: %s", backoff.toMillis(), e.getMessage());
                sleepQuietly(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Publishes one batch of unsent rows and marks them sent.
     *
     * @return how many rows were published; 0 when another relay holds the lock or nothing is pending
     */
    public int publishPending() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!lockRelay(connection)) {
                    return 0;
                }
                List<Long> ids = new ArrayList<>(batchSize);
                List<EncodedEvent> events = new ArrayList<>(batchSize);
                try (PreparedStatement select = connection.prepareStatement(SELECT_UNSENT)) {
                    select.setLong(1, resumeAfterId);
                    select.setInt(2, batchSize);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong("outbox_id"));
                            events.add(StoredEvents.readEncoded(rows, source));
                        }
                    }
                }
                if (events.isEmpty()) {
                    resumeAfterId = 0;
                    return 0;
                }
                send(events);
                markSent(connection, ids);
                resumeAfterId = events.size() == batchSize ? ids.getLast() : 0;
                return events.size();
            }
        });
    }

    private static boolean lockRelay(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_try_advisory_xact_lock(hashtext('twostep-outbox-relay'))");
             ResultSet result = lock.executeQuery()) {
            return result.next() && result.getBoolean(1);
        }
    }

    private void send(List<EncodedEvent> events) throws Exception {
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(events.size());
        for (EncodedEvent event : events) {
            acknowledgements.add(kafka.send(CloudEventCodec.toRecord(event)));
        }
        kafka.flush();
        for (Future<RecordMetadata> acknowledgement : acknowledgements) {
            acknowledgement.get(30, TimeUnit.SECONDS);
        }
        events.forEach(event -> metrics.published(event.type()));
    }

    private static void markSent(Connection connection, List<Long> ids) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox SET sent_at = now() WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            // A relay pass sends up to a whole outbox batch at once: larger producer batches carry it
            // in fewer requests without adding latency to a single event.
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, source.substring(source.lastIndexOf('/') + 1) + "-outbox-relay");
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
