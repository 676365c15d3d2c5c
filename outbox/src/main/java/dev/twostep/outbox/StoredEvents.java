package dev.twostep.outbox;

import dev.twostep.events.EncodedEvent;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Reads an {@code event_store} row back into an envelope. */
final class StoredEvents {

    private StoredEvents() {
    }

    static EventEnvelope read(ResultSet row, String source) throws SQLException {
        EncodedEvent event = readEncoded(row, source);
        return new EventEnvelope(event.id(), event.source(), event.subject(), event.sequence(), event.time(),
                event.correlationId(), event.causationId(), event.actor(), event.traceparent(),
                EventJson.read(event.type(), event.data()));
    }

    /** The row as stored, its data still JSON: what the relay publishes. */
    static EncodedEvent readEncoded(ResultSet row, String source) throws SQLException {
        return new EncodedEvent(
                row.getObject("event_id", UUID.class),
                source,
                row.getString("aggregate_id"),
                row.getLong("sequence"),
                row.getTimestamp("occurred_at").toInstant(),
                row.getString("correlation_id"),
                row.getString("causation_id"),
                row.getString("actor"),
                row.getString("traceparent"),
                row.getString("type"),
                row.getString("data").getBytes(StandardCharsets.UTF_8));
    }
}
