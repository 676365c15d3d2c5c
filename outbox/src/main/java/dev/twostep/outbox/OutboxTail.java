package dev.twostep.outbox;

import dev.twostep.events.EncodedEvent;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@link OutboxRelay}'s side of PostgreSQL, on the leader's own connection: the saved {@link RelayCursor} in
 * {@code outbox_cursor}, and the events of {@code event_store} past it, a batch at a time. It neither commits nor
 * rolls back: the relay decides what one transaction holds.
 */
final class OutboxTail {

    private static final String SELECT_TAIL = "SELECT * FROM event_store WHERE position > ? ORDER BY position LIMIT ?";
    private static final String SELECT_GAPS = """
            SELECT e.* FROM unnest(?::bigint[], ?::bigint[]) AS gap (first, last)
            CROSS JOIN LATERAL (SELECT * FROM event_store WHERE position BETWEEN gap.first AND gap.last
                                ORDER BY position LIMIT ?) e
            ORDER BY e.position""";

    private final Connection connection;
    private final int batchSize;
    private final String source;

    OutboxTail(Connection connection, int batchSize, String source) {
        this.connection = connection;
        this.batchSize = batchSize;
        this.source = source;
    }

    /** One read: the events to publish and the cursor once they are published. */
    record Batch(List<EncodedEvent> events, RelayCursor cursorAfter) {
    }

    Batch read(RelayCursor cursor) throws SQLException {
        // Read before the rows, so that a gap whose writer had ended by then is seen complete by the reads below.
        long oldestRunning = cursor.gaps().isEmpty() ? Long.MIN_VALUE
                : queryLong("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        List<Long> positions = new ArrayList<>(batchSize);
        List<EncodedEvent> events = new ArrayList<>(batchSize);
        if (!cursor.gaps().isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_GAPS)) {
                select.setArray(1, gapArray(cursor, RelayCursor.Gap::from));
                select.setArray(2, gapArray(cursor, RelayCursor.Gap::to));
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
                () -> queryLong("SELECT pg_current_xact_id()::text::bigint"));
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

    /** The saved cursor, locked for the rest of the transaction. */
    RelayCursor loadCursor() throws SQLException {
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

    void saveCursor(RelayCursor cursor) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox_cursor SET published_through = ?, gap_from = ?, gap_to = ?, gap_horizon = ?")) {
            update.setLong(1, cursor.publishedThrough());
            update.setArray(2, gapArray(cursor, RelayCursor.Gap::from));
            update.setArray(3, gapArray(cursor, RelayCursor.Gap::to));
            update.setArray(4, gapArray(cursor, RelayCursor.Gap::horizon));
            update.executeUpdate();
        }
    }

    /** One field of every gap, as the {@code bigint[]} that {@code outbox_cursor} and the gap query take. */
    private Array gapArray(RelayCursor cursor, Function<RelayCursor.Gap, Long> field) throws SQLException {
        return connection.createArrayOf("bigint", cursor.gaps().stream().map(field).toArray());
    }

    private long queryLong(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("relay query failed: " + sql, e);
        }
    }
}
