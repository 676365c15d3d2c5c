package dev.twostep.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.console.view.DeliveryFacts;
import dev.twostep.events.EventJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the timeline ({@code event_log}): the merged event log of every topic, filtered as {@code ./twostep log}
 * filters (feature, environment, application, since, story), and what arrived since a reader last looked.
 */
@ApplicationScoped
public class Timeline {

    /** The most events one page lists (the newest); the live stream adds to them. */
    public static final int LIMIT = 500;

    /**
     * How far back a live reader looks again by the time a row was recorded: a projection transaction that commits
     * late shows rows recorded before ones already read. A poll's transaction is short (one poll of one topic), so
     * a few seconds cover it; the reader drops what it already sent by event id.
     */
    public static final Duration LATE_COMMIT = Duration.ofSeconds(10);

    private final AgroalDataSource dataSource;

    Timeline(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a page filters by; a null field does not filter. */
    public record Filter(String feature, String environment, String application, Instant since, String correlationId) {
    }

    /** One event on the timeline; {@code recordedAt} is for live readers, {@code data} for the pages that draw. */
    public record Entry(UUID eventId, Instant at, String type, String subject, String actor, String correlationId,
                        String featureKey, String environment, String application, String rolloutId, String summary,
                        Instant recordedAt, JsonNode data) {

        /** The entry as a list shows it: the words, not the event's data (a tenth of the bytes). */
        public Entry listed() {
            return new Entry(eventId, at, type, subject, actor, correlationId, featureKey, environment, application,
                    rolloutId, summary, recordedAt, null);
        }
    }

    /** The newest {@link #LIMIT} matching events, oldest first. */
    public List<Entry> newest(Filter filter) {
        return query(filter, null, "ORDER BY at DESC, event_id LIMIT " + LIMIT).reversed();
    }

    /** Matching events recorded after {@code recordedAfter}, in the order they were recorded. */
    public List<Entry> recordedAfter(Filter filter, Instant recordedAfter) {
        return query(filter, recordedAfter, "ORDER BY recorded");
    }

    /** A rollout's own events (started, decisions, completed or aborted), oldest first. */
    public List<Entry> ofRollout(String rolloutId) {
        return select("SELECT " + COLUMNS + " FROM event_log WHERE rollout_id = ? ORDER BY at, recorded", rolloutId);
    }

    /** A story's events (one correlation id), oldest first. */
    public List<Entry> ofStory(String correlationId) {
        return query(new Filter(null, null, null, null, correlationId), null, "ORDER BY at, recorded");
    }

    /** Every rollout's start, newest first. */
    public List<Entry> rolloutsStarted() {
        return select("SELECT " + COLUMNS + " FROM event_log WHERE type LIKE 'dev.twostep.rollout.started.%'"
                + " ORDER BY at DESC LIMIT " + LIMIT);
    }

    /** The promotions approved into an environment: "application version" to who approved, in time order. */
    public Map<String, String> approvals(String environment) {
        Map<String, String> approvals = new LinkedHashMap<>();
        for (Entry approval : select("SELECT " + COLUMNS + " FROM event_log WHERE environment = ?"
                + " AND type LIKE 'dev.twostep.promotion.approved.%' ORDER BY at", environment)) {
            approvals.merge(approval.data().path("application").asText() + " " + approval.data().path("version")
                    .asText(), approval.data().path("approvedBy").asText(), (first, next) -> first + ", " + next);
        }
        return approvals;
    }

    /** The build event of a build id, for its CI run's link. */
    public List<Entry> build(String buildId) {
        return select("SELECT " + COLUMNS + " FROM event_log WHERE subject = ? AND type LIKE 'dev.twostep.build.%'",
                buildId);
    }

    private static final String COLUMNS = "event_id, at, type, subject, actor, correlation_id, feature_key,"
            + " environment, application, rollout_id, summary, recorded_at, data";

    private List<Entry> query(Filter filter, Instant recordedAfter, String order) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM event_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, " AND feature_key = ?", filter.feature());
        condition(sql, parameters, " AND environment = ?", filter.environment());
        condition(sql, parameters, " AND application = ?", filter.application());
        condition(sql, parameters, " AND correlation_id = ?", filter.correlationId());
        condition(sql, parameters, " AND at >= ?", time(filter.since()));
        condition(sql, parameters, " AND recorded_at > ?", time(recordedAfter));
        return select(sql + " " + order, parameters.toArray());
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            parameters.add(value);
        }
    }

    private List<Entry> select(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getObject(1, UUID.class), DeliveryFacts.instant(rows, 2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11),
                            DeliveryFacts.instant(rows, 12), EventJson.mapper().readTree(rows.getString(13))));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the timeline", e);
        } catch (IOException e) {
            throw new UncheckedIOException("an event's data in the timeline is not JSON", e);
        }
    }

    private static Object time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

}
