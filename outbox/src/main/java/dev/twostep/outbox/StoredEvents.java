package dev.twostep.outbox;

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
        String type = row.getString("type");
        return new EventEnvelope(
                row.getObject("event_id", UUID.class),
                source,
                row.getString("aggregate_id"),
                row.getLong("sequence"),
                row.getTimestamp("occurred_at").toInstant(),
                row.getString("correlation_id"),
                row.getString("causation_id"),
                row.getString("actor"),
                row.getString("traceparent"),
                EventJson.read(type, row.getString("data").getBytes(StandardCharsets.UTF_8)));
    }
}
