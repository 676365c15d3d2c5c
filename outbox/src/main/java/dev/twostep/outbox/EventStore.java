package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.EventTypes;
import dev.twostep.events.TwostepEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The service's append-only event log, and its outbox: an append writes the events in the caller's
 * transaction, so the business change and the log commit or roll back together, and every committed
 * event is published by {@link OutboxRelay}, which follows the log by position. Nothing here talks to Kafka.
 */
@ApplicationScoped
public class EventStore {

    private static final String UNIQUE_VIOLATION = "23505";

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final String source;

    EventStore(AgroalDataSource dataSource, Clock clock, ServiceConfig service) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.source = EventEnvelope.sourceOf(service.name());
    }

    /**
     * Appends {@code events} after version {@code expectedVersion} of the aggregate (0 for a new one).
     *
     * @throws ConcurrencyConflict when another writer appended first; the caller's transaction then rolls back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<EventEnvelope> append(String aggregateId, long expectedVersion, List<? extends TwostepEvent> events,
                                      EventMetadata metadata) {
        List<EventEnvelope> appended = new ArrayList<>(events.size());
        long sequence = expectedVersion;
        for (TwostepEvent event : events) {
            appended.add(new EventEnvelope(UUID.randomUUID(), source, aggregateId, ++sequence, clock.instant(),
                    metadata.correlationId(), metadata.causationId(), metadata.actor(), metadata.traceparent(), event));
        }
        try (Connection connection = dataSource.getConnection()) {
            announceAppend(connection);
            insertEvents(connection, appended);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ConcurrencyConflict(aggregateId, expectedVersion);
            }
            throw new IllegalStateException("cannot append to " + aggregateId, e);
        }
        return appended;
    }

    /** Every event of one aggregate, in sequence order: the input of its {@code evolve} fold. */
    public List<EventEnvelope> load(String aggregateId) {
        List<EventEnvelope> events = new ArrayList<>();
        read("SELECT * FROM event_store WHERE aggregate_id = ? ORDER BY sequence",
                statement -> statement.setString(1, aggregateId), events::add);
        return events;
    }

    /** Every event in append order: the input of a read-model rebuild. */
    public void replay(Consumer<EventEnvelope> handler) {
        read("SELECT * FROM event_store ORDER BY position", statement -> { }, handler);
    }

    private interface Parameters {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void read(String sql, Parameters parameters, Consumer<EventEnvelope> handler) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.bind(statement);
            statement.setFetchSize(500);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.accept(StoredEvents.read(rows, source));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event store", e);
        }
    }

    private static void insertEvents(Connection connection, List<EventEnvelope> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO event_store (event_id, aggregate_id, sequence, type, occurred_at, correlation_id,
                                         causation_id, actor, traceparent, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
            for (EventEnvelope event : events) {
                insert.setObject(1, event.id());
                insert.setString(2, event.subject());
                insert.setLong(3, event.sequence());
                insert.setString(4, EventTypes.typeOf(event.data()));
                insert.setTimestamp(5, Timestamp.from(event.time()));
                insert.setString(6, event.correlationId());
                insert.setString(7, event.causationId());
                insert.setString(8, event.actor());
                insert.setString(9, event.traceparent());
                insert.setString(10, new String(EventJson.write(event.data()), StandardCharsets.UTF_8));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (BatchUpdateException e) {
            // The driver reports the real cause (for example a unique violation) as the next exception.
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }

    /**
     * Gives the transaction its id before any event position is drawn, and wakes the leading relay when it commits.
     * The relay's {@link RelayCursor} relies on the first: a gap's writer is older than a transaction id the relay
     * takes after it saw a later position. {@code NOTIFY} is delivered at commit, and never for a rollback.
     */
    private static void announceAppend(Connection connection) throws SQLException {
        try (PreparedStatement announce = connection.prepareStatement(
                "SELECT pg_current_xact_id(), pg_notify('" + OutboxRelay.APPENDED_CHANNEL + "', '')")) {
            announce.execute();
        }
    }
}
