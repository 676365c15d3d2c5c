package dev.twostep.outbox;

import dev.twostep.events.EncodedEvent;
import dev.twostep.events.EventEnvelope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 * {@link OutboxTail} does its reads and writes on PostgreSQL, {@link RelayProducer} its sends to Kafka.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String APPENDED_CHANNEL = "twostep_outbox";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final DatasourceConfig database;
    private final RelayConfig config;
    private final EventMetrics metrics;
    private final String source;
    private final RelayProducer producer;

    private volatile Thread worker;
    private volatile boolean running;

    OutboxRelay(DatasourceConfig database, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                EventMetrics metrics, ServiceConfig service, RelayConfig config) {
        this.database = database;
        this.config = config;
        this.metrics = metrics;
        this.source = EventEnvelope.sourceOf(service.name());
        this.producer = new RelayProducer(kafkaConfig, clientId());
    }

    void start(@Observes StartupEvent startup) {
        if (config.enabled()) {
            running = true;
            worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (worker != null) {
            try {
                worker.join(config.idlePoll().plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
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
                        Backoff.sleep(config.idlePoll());
                    }
                }
            } catch (Exception e) {
                // Closing the connection gives up the lead: a replica that can reach Kafka takes over.
                LOG.warnf("outbox relay stopped, retrying: %s", e.getMessage());
                producer.close(Duration.ZERO);
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
        database.username().ifPresent(user -> properties.setProperty("user", user));
        database.password().ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", clientId());
        // The server notices a leader that vanished without closing its connection within about 30 s.
        properties.setProperty("options", "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5"
                + " -c tcp_keepalives_count=4");
        Connection connection = new Driver().connect(database.jdbc().url(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + database.jdbc().url());
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
        OutboxTail tail = new OutboxTail(connection, config.batchSize(), source);
        RelayCursor saved = tail.loadCursor();
        connection.commit();
        RelayCursor cursor = saved;
        Sent previous = null;
        while (running) {
            OutboxTail.Batch batch = tail.read(cursor);
            List<Future<RecordMetadata>> acknowledgements = producer.send(batch.events());
            if (previous != null) {
                previous.awaitAcknowledgements();
            }
            // Once the previous batch is acknowledged, its cursor may be saved; when this read found nothing, so may
            // the cursor after it (it can still have forgotten gaps).
            RelayCursor publishedThrough = batch.events().isEmpty() ? batch.cursorAfter()
                    : previous != null ? previous.cursorAfter() : saved;
            if (!publishedThrough.equals(saved)) {
                tail.saveCursor(publishedThrough);
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
            tail.saveCursor(previous.cursorAfter());
            connection.commit();
            previous.events().forEach(event -> metrics.published(event.type()));
        }
    }

    /** Waits until an append commits anywhere (its NOTIFY) or the idle poll passes. */
    private void awaitAppends(Connection connection) throws SQLException {
        connection.unwrap(PGConnection.class).getNotifications((int) config.idlePoll().toMillis());
    }

    /** How the relay names itself to Kafka and PostgreSQL ({@code pg_stat_activity.application_name}). */
    private String clientId() {
        return source.substring(source.lastIndexOf('/') + 1) + "-outbox-relay";
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
