package dev.twostep.console.notification;

import dev.twostep.console.config.ConsoleConfig;
import dev.twostep.events.DeploymentEvent.DeploymentSucceeded;
import dev.twostep.events.DeploymentEvent.EnvironmentDefined;
import dev.twostep.events.EventEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a consumed event into the deliveries it owes, in the transaction that applies it (the inbox's), so a notice
 * is never lost between consuming and queueing, and a redelivered event, or one applied by two replicas, owes
 * nothing twice: a delivery is unique on (subscription, notice id). The subscriptions are read from the database for
 * every event that can notify, never from a cache, so a subscription made on one replica counts on the other at once.
 */
@ApplicationScoped
public class NotificationQueue {

    private final AgroalDataSource dataSource;
    private final Subscriptions subscriptions;
    private final Clock clock;
    private final String consoleUrl;

    NotificationQueue(AgroalDataSource dataSource, Subscriptions subscriptions, Clock clock,
                      ConsoleConfig config) {
        this.dataSource = dataSource;
        this.subscriptions = subscriptions;
        this.clock = clock;
        this.consoleUrl = config.publicUrl();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(EventEnvelope event) {
        try (Connection connection = dataSource.getConnection()) {
            if (event.data() instanceof EnvironmentDefined defined) {
                remember(connection, event, defined);
            }
            if (!Notices.mayNotify(event.data())) {
                return;
            }
            List<Subscription> all = subscriptions.all(connection);
            if (all.isEmpty()) {
                return;
            }
            List<String> approvalEnvironments = event.data() instanceof DeploymentSucceeded done
                    ? approvalEnvironmentsPromotedFrom(connection, done.environment()) : List.of();
            Instant now = clock.instant();
            for (Notice notice : Notices.of(event, approvalEnvironments)) {
                Map<Format, Payload> payloads = new EnumMap<>(Format.class);
                for (Subscription subscription : all) {
                    if (subscription.matches(notice)) {
                        Payload payload = payloads.computeIfAbsent(subscription.format(),
                                format -> Payload.of(notice, format, consoleUrl));
                        queue(connection, subscription, notice, payload, now);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue the notices of event " + event.id(), e);
        }
    }

    private static void queue(Connection connection, Subscription subscription, Notice notice, Payload payload,
                              Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_delivery"
                + " (subscription_id, notice_id, notice_type, summary, content_type, body, state, due_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (subscription_id, notice_id) DO NOTHING")) {
            insert.setObject(1, subscription.id());
            insert.setObject(2, notice.id());
            insert.setString(3, notice.type());
            insert.setString(4, notice.summary());
            insert.setString(5, payload.contentType());
            insert.setBytes(6, payload.body());
            insert.setObject(7, now.atOffset(ZoneOffset.UTC));
            insert.setObject(8, now.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private static void remember(Connection connection, EventEnvelope event, EnvironmentDefined defined)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_environment"
                + " (event_id, name, sequence, promotes_from, requires_approval) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setObject(1, event.id());
            insert.setString(2, defined.name());
            insert.setLong(3, event.sequence());
            insert.setString(4, defined.promotesFrom());
            insert.setBoolean(5, defined.requiresApproval());
            insert.executeUpdate();
        }
    }

    /** The environments whose newest definition promotes from {@code environment} and requires an approval. */
    private static List<String> approvalEnvironmentsPromotedFrom(Connection connection, String environment)
            throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT name FROM (SELECT DISTINCT ON (name)"
                + " name, promotes_from, requires_approval FROM notification_environment WHERE name IN"
                + " (SELECT name FROM notification_environment WHERE promotes_from = ?)"
                + " ORDER BY name, sequence DESC) newest WHERE promotes_from = ? AND requires_approval ORDER BY name")) {
            select.setString(1, environment);
            select.setString(2, environment);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }
}
