package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EncodedEvent;
import dev.twostep.events.EventEnvelope;
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
import org.postgresql.Driver;
import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes the event store to Kafka in position order, and remembers how far it got.
 *
 * <p>The outbox is the tail of {@code event_store} past the relay's {@link RelayCursor}, kept in the one-row table
 * {@code outbox_cursor}: an append writes nothing else to publish, and nothing published has to be marked, deleted or
 * vacuumed. Each read starts at the cursor (plus the few gaps it passed), so its cost does not grow with history.
 *
 * <p>Why this is safe:
 * <ul>
 *   <li>The cursor only moves past events after Kafka acknowledged them (acks=all, idempotent producer), so a crash
 *       anywhere loses nothing: the next leader starts from the saved cursor.</li>
 *   <li>A crash after the acknowledgement but before the cursor is saved sends those events again; consumers
 *       deduplicate on the event id, so nothing is applied twice.</li>
 *   <li>One relay per database publishes: the leader holds a session advisory lock on a connection of its own, and
 *       saves the cursor on that same connection, so a leader that lost its connection lost its lock and can no longer
 *       write. Replicas try for the lock every idle poll and take over within one of it.</li>
 *   <li>The idempotent producer keeps batches to one partition in order, so one aggregate's events reach its
 *       partition in sequence order; see {@link RelayCursor} for why a late commit cannot break that.</li>
 * </ul>
 *
 * <p>The leader overlaps its work: it reads the next batch from PostgreSQL while Kafka acknowledges the previous one,
 * and saves the cursor for the previous one in the transaction of that read. It waits for new events with
 * LISTEN, woken by the {@code NOTIFY} that every append sends at commit, whichever replica wrote it.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String APPENDED_CHANNEL = "twostep_outbox";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SELECT_TAIL = "SELECT * FROM event_store WHERE position > ? ORDER BY position LIMIT ?";
    private static final String SELECT_GAPS = """
            SELECT e.* FROM unnest(?::bigint[], ?::bigint[]) AS gap (first, last)
            CROSS JOIN LATERAL (SELECT * FROM event_store WHERE position BETWEEN gap.first AND gap.last
                                ORDER BY position LIMIT ?) e
            ORDER BY e.position""";

    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Map<String, Object> kafkaConfig;
    private final EventMetrics metrics;
    private final String source;
    private final boolean enabled;
    private final int batchSize;
    private final Duration idlePoll;

    private volatile KafkaProducer<String, byte[]> producer;
    private volatile Thread worker;
    private volatile boolean running;

    OutboxRelay(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                EventMetrics metrics, @ConfigProperty(name = "twostep.service.name") String service,
                @ConfigProperty(name = "twostep.outbox.relay.enabled", defaultValue = "true") boolean enabled,
                @ConfigProperty(name = "twostep.outbox.relay.batch-size", defaultValue = "2000") int batchSize,
                @ConfigProperty(name = "twostep.outbox.relay.idle-poll", defaultValue = "PT0.5S") Duration idlePoll) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
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
        if (worker != null) {
            try {
                worker.join(idlePoll.plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer(Duration.ofSeconds(5));
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        while (running) {
            try (Connection connection = openConnection()) {
                while (running) {
                    if (lead(connection)) {
                        backoff.reset();
                        publishWhileLeading(connection);
                    } else {
                        Backoff.sleep(idlePoll);
                    }
                }
            } catch (Exception e) {
                // Closing the connection gives up the lead: a replica that can reach Kafka takes over.
                LOG.warnf("outbox relay stopped, retrying: %s", e.getMessage());
                closeProducer(Duration.ZERO);
                Backoff.sleep(backoff.next());
            }
        }
    }

    /**
     * A connection of the relay's own, outside the pool: the lead is a session lock, and it must end with the
     * connection, never linger on a pooled one.
     */
    private Connection openConnection() throws SQLException {
        Properties properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", clientId());
        // The server notices a leader that vanished without closing its connection within about 30 s.
        properties.setProperty("options", "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5"
                + " -c tcp_keepalives_count=4");
        Connection connection = new Driver().connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + jdbcUrl);
        }
        return connection;
    }

    /** Takes the lead if no other relay on this database has it; the lock lives as long as the connection. */
    private static boolean lead(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet lock = statement.executeQuery(
                    "SELECT pg_try_advisory_lock(hashtext('twostep-outbox-relay'))")) {
                if (!lock.next() || !lock.getBoolean(1)) {
                    return false;
                }
            }
            statement.execute("LISTEN " + APPENDED_CHANNEL);
        }
        connection.setAutoCommit(false);
        return true;
    }

    private void publishWhileLeading(Connection connection) throws Exception {
        RelayCursor saved = loadCursor(connection);
        connection.commit();
        RelayCursor cursor = saved;
        Sent previous = null;
        while (running) {
            Batch batch = read(connection, cursor);
            List<Future<RecordMetadata>> acknowledgements = send(batch.events());
            if (previous != null) {
                previous.awaitAcknowledgements();
            }
            // Once the previous batch is acknowledged, its cursor may be saved; when this read found nothing, so may
            // the cursor after it (it can still have forgotten gaps).
            RelayCursor publishedThrough = batch.events().isEmpty() ? batch.cursorAfter()
                    : previous != null ? previous.cursorAfter() : saved;
            if (!publishedThrough.equals(saved)) {
                saveCursor(connection, publishedThrough);
                saved = publishedThrough;
            }
            connection.commit();
            if (previous != null) {
                previous.events().forEach(event -> metrics.published(event.type()));
            }
            previous = batch.events().isEmpty() ? null : new Sent(batch.events(), acknowledgements, batch.cursorAfter());
            cursor = batch.cursorAfter();
            if (previous == null) {
                awaitAppends(connection);
            }
        }
        if (previous != null) {
            previous.awaitAcknowledgements();
            saveCursor(connection, previous.cursorAfter());
            connection.commit();
            previous.events().forEach(event -> metrics.published(event.type()));
        }
    }

    private Batch read(Connection connection, RelayCursor cursor) throws SQLException {
        // Read before the rows, so that a gap whose writer had ended by then is seen complete by the reads below.
        long oldestRunning = cursor.gaps().isEmpty() ? Long.MIN_VALUE
                : queryLong(connection, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        List<Long> positions = new ArrayList<>(batchSize);
        List<EncodedEvent> events = new ArrayList<>(batchSize);
        if (!cursor.gaps().isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_GAPS)) {
                select.setArray(1, gapArray(connection, cursor, RelayCursor.Gap::from));
                select.setArray(2, gapArray(connection, cursor, RelayCursor.Gap::to));
                select.setInt(3, batchSize);
                collect(select, batchSize, positions, events);
            }
        }
        if (events.size() < batchSize) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_TAIL)) {
                select.setLong(1, cursor.publishedThrough());
                select.setInt(2, batchSize - events.size());
                collect(select, batchSize, positions, events);
            }
        }
        RelayCursor after = cursor.after(positions, batchSize, oldestRunning,
                () -> queryLong(connection, "SELECT pg_current_xact_id()::text::bigint"));
        return new Batch(events, after);
    }

    private void collect(PreparedStatement select, int limit, List<Long> positions, List<EncodedEvent> events)
            throws SQLException {
        select.setFetchSize(limit);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next() && events.size() < limit) {
                positions.add(rows.getLong("position"));
                events.add(StoredEvents.readEncoded(rows, source));
            }
        }
    }

    private List<Future<RecordMetadata>> send(List<EncodedEvent> events) {
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

    /** Waits until an append commits anywhere (its NOTIFY) or the idle poll passes. */
    private void awaitAppends(Connection connection) throws SQLException {
        connection.unwrap(PGConnection.class).getNotifications((int) idlePoll.toMillis());
    }

    private static RelayCursor loadCursor(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT published_through, gap_from, gap_to, gap_horizon FROM outbox_cursor FOR UPDATE")) {
            if (!row.next()) {
                throw new IllegalStateException("outbox_cursor has no row; the outbox migration did not run");
            }
            Long[] from = (Long[]) row.getArray("gap_from").getArray();
            Long[] to = (Long[]) row.getArray("gap_to").getArray();
            Long[] horizon = (Long[]) row.getArray("gap_horizon").getArray();
            List<RelayCursor.Gap> gaps = new ArrayList<>(from.length);
            for (int i = 0; i < from.length; i++) {
                gaps.add(new RelayCursor.Gap(from[i], to[i], horizon[i]));
            }
            return new RelayCursor(row.getLong("published_through"), gaps);
        }
    }

    private static void saveCursor(Connection connection, RelayCursor cursor) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_cursor SET published_through = ?, gap_from = ?, gap_to = ?, gap_horizon = ?")) {
            update.setLong(1, cursor.publishedThrough());
            update.setArray(2, gapArray(connection, cursor, RelayCursor.Gap::from));
            update.setArray(3, gapArray(connection, cursor, RelayCursor.Gap::to));
            update.setArray(4, gapArray(connection, cursor, RelayCursor.Gap::horizon));
            update.executeUpdate();
        }
    }

    /** One field of every gap, as the {@code bigint[]} that {@code outbox_cursor} and the gap query take. */
    private static Array gapArray(Connection connection, RelayCursor cursor, Function<RelayCursor.Gap, Long> field)
            throws SQLException {
        return connection.createArrayOf("bigint", cursor.gaps().stream().map(field).toArray());
    }

    private static long queryLong(Connection connection, String sql) {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("relay query failed: " + sql, e);
        }
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
            config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId());
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** How the relay names itself to Kafka and PostgreSQL ({@code pg_stat_activity.application_name}). */
    private String clientId() {
        return source.substring(source.lastIndexOf('/') + 1) + "-outbox-relay";
    }

    /**
     * Closes the producer; after a failure at once, so that nothing it still holds goes out behind the events the
     * next leader sends again from the saved cursor.
     */
    private void closeProducer(Duration timeout) {
        KafkaProducer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(timeout);
        }
    }

    /** One read: the events to publish and the cursor once they are published. */
    private record Batch(List<EncodedEvent> events, RelayCursor cursorAfter) {
    }

    /** A batch handed to the producer, waiting for its acknowledgements. */
    private record Sent(List<EncodedEvent> events, List<Future<RecordMetadata>> acknowledgements,
                        RelayCursor cursorAfter) {
        void awaitAcknowledgements() throws Exception {
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
