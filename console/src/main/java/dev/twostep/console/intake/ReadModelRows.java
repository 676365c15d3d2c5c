package dev.twostep.console.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.console.suspects.Change.Kind;
import dev.twostep.events.ArtefactEvent.ArtefactPublished;
import dev.twostep.events.ArtefactEvent.ArtefactRevoked;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.EventJson;
import dev.twostep.events.EventSummary;
import dev.twostep.events.TwostepEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The rows one event writes into the read model's shared tables, on one connection: the timeline's, delivery facts,
 * the change log and which application carries which feature. Each is an insert keyed by the event (or by what it
 * names) with ON CONFLICT DO NOTHING, so writing it again changes nothing.
 */
final class ReadModelRows {

    private final Connection connection;
    private final EventEnvelope event;

    ReadModelRows(Connection connection, EventEnvelope event) {
        this.connection = connection;
        this.event = event;
    }

    Connection connection() {
        return connection;
    }

    EventEnvelope event() {
        return event;
    }

    /** When the event happened, as the read model stores times. */
    Object at() {
        return time(event.time());
    }

    /**
     * The timeline's row: the same words as {@code ./twostep log} and the keys its filters read, found as the CLI
     * finds them (an environment or application event names itself in {@code name}).
     */
    void timeline() throws SQLException {
        TwostepEvent data = event.data();
        JsonNode json = EventJson.mapper().valueToTree(data);
        insert("INSERT INTO event_log (event_id, at, type, subject, actor, correlation_id, feature_key, environment,"
                        + " application, rollout_id, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                        + " ON CONFLICT DO NOTHING",
                event.id(), at(), event.type(), event.subject(), event.actor(), event.correlationId(),
                json.path("featureKey").asText(null),
                data instanceof EnvironmentDefined ? json.path("name").asText(null)
                        : json.path("environment").asText(null),
                data instanceof ArtefactPublished || data instanceof ArtefactRevoked
                        ? json.path("name").asText(null) : json.path("application").asText(null),
                json.path("rolloutId").asText(null), EventSummary.summary(data), json.toString());
    }

    void deployFact(String kind, String deploymentId, String application, String environment, String version,
                    String otherVersion, String reason) throws SQLException {
        if (kind.equals("deploy.succeeded")) {
            insert("INSERT INTO deployed_pair (environment, application) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    environment, application);
        }
        insert("INSERT INTO delivery_fact (event_id, kind, environment, application, at, deployment_id, version,"
                        + " other_version, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.id(), kind, environment, application, at(), deploymentId, version, otherVersion, reason);
    }

    void releaseFact(String kind, String feature, String environment, Double percentage, Integer users,
                     Double previousPercentage, Integer previousUsers, String rolloutId, String decisionId,
                     String reason) throws SQLException {
        insert("INSERT INTO delivery_fact (event_id, kind, environment, feature_key, at, percentage, users,"
                        + " previous_percentage, previous_users, rollout_id, decision_id, reason)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.id(), kind, environment, feature, at(), percentage, users, previousPercentage, previousUsers,
                rolloutId, decisionId, reason);
    }

    void change(String environment, Kind kind, String application, String feature, String version,
                String previousVersion, String commit, Double percentage, Double previousPercentage,
                boolean usersChanged, String rolloutId, String reason, String summary) throws SQLException {
        insert("INSERT INTO change_log (event_id, environment, at, kind, application, feature_key, version,"
                        + " previous_version, commit, percentage, previous_percentage, users_changed, rollout_id,"
                        + " actor, reason, summary, correlation_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.id(), environment, at(), kind.name(), application, feature, version, previousVersion, commit,
                percentage, previousPercentage, usersChanged, rolloutId, event.actor(), reason, summary,
                event.correlationId());
    }

    void featureOf(String application, String feature) throws SQLException {
        insert("INSERT INTO feature_application (application, feature_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                application, feature);
    }

    void insert(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    static Object time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
