package dev.twostep.console.notification;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery rows: claimed one at a time per subscription in short transactions ({@code FOR UPDATE SKIP LOCKED},
 * so two replicas never claim the same row), their outcomes recorded afterwards, and read for the console.
 */
@ApplicationScoped
public class Deliveries {

    static final int RECENT = 100;

    private final AgroalDataSource dataSource;

    Deliveries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A claimed delivery with what posting it needs. {@code attempt} is this post's number, from 1. */
    record Claimed(long id, UUID subscriptionId, UUID noticeId, String url, String secret, Format format,
                   String contentType, byte[] body, int attempt) {
    }

    /** How one post went: {@code status} is null when no answer came. */
    record Outcome(boolean delivered, Integer status, String description, long millis) {
    }

    /** What became of a delivery after an attempt was recorded. */
    enum After { DELIVERED, RETRY, DEAD, CLAIM_LOST }

    public record Attempt(int attempt, Instant at, Integer httpStatus, String outcome, long millis) {
    }

    public record DeliveryView(long id, UUID noticeId, String type, String summary, String state, int attempts,
                               Instant createdAt, Instant nextAttemptAt, Instant finishedAt, String lastOutcome,
                               List<Attempt> tries) {
    }

    /** The subscriptions that have a delivery due at {@code now}. */
    @Transactional
    List<UUID> subscriptionsDue(Instant now) {
        List<UUID> due = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT DISTINCT subscription_id"
                     + " FROM notification_delivery WHERE state = 'pending' AND due_at <= ?")) {
            select.setObject(1, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(rows.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look for due deliveries", e);
        }
        return due;
    }

    /**
     * Claims the subscription's oldest due delivery until {@code now + lease}: a replica that dies while posting
     * leaves it to be claimed again then (the one case where a receiver may get a notice twice).
     */
    @Transactional
    Optional<Claimed> claimNext(UUID subscription, Instant now, Duration lease) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement claim = connection.prepareStatement("UPDATE notification_delivery d"
                     + " SET attempts = d.attempts + 1, due_at = ?"
                     + " FROM notification_subscription s"
                     + " WHERE s.id = d.subscription_id AND d.id = (SELECT id FROM notification_delivery"
                     + "   WHERE subscription_id = ? AND state = 'pending' AND due_at <= ?"
                     + "   ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                     + " RETURNING d.id, d.notice_id, s.url, s.secret, s.format, d.content_type, d.body, d.attempts")) {
            claim.setObject(1, now.plus(lease).atOffset(ZoneOffset.UTC));
            claim.setObject(2, subscription);
            claim.setObject(3, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = claim.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Claimed(rows.getLong("id"), subscription, rows.getObject("notice_id", UUID.class),
                        rows.getString("url"), rows.getString("secret"),
                        Format.ofWireName(rows.getString("format")).orElseThrow(), rows.getString("content_type"),
                        rows.getBytes("body"), rows.getInt("attempts")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim a delivery of subscription " + subscription, e);
        }
    }

    /**
     * Records a post and what it makes of the delivery: delivered, due again after the schedule's wait, or dead with
     * the reason after the last try. Only the latest claim may change the row (its attempt number still matches), so
     * a post that outlived its claim is logged but decides nothing.
     */
    @Transactional
    After record(Claimed claimed, Outcome outcome, Instant at, RetrySchedule schedule) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<Duration> retry = outcome.delivered() ? Optional.empty() : schedule.delayAfter(claimed.attempt());
            After after = outcome.delivered() ? After.DELIVERED : retry.isPresent() ? After.RETRY : After.DEAD;
            String description = after == After.DEAD
                    ? outcome.description() + " (dead after " + claimed.attempt() + " attempts)" : outcome.description();
            int changed;
            try (PreparedStatement update = connection.prepareStatement("UPDATE notification_delivery"
                    + " SET state = ?, due_at = ?, finished_at = ?, last_outcome = ?"
                    + " WHERE id = ? AND attempts = ? AND state = 'pending'")) {
                update.setString(1, switch (after) {
                    case DELIVERED -> "delivered";
                    case DEAD -> "dead";
                    default -> "pending";
                });
                update.setObject(2, at.plus(retry.orElse(Duration.ZERO)).atOffset(ZoneOffset.UTC));
                update.setObject(3, after == After.RETRY ? null : at.atOffset(ZoneOffset.UTC));
                update.setString(4, description);
                update.setLong(5, claimed.id());
                update.setInt(6, claimed.attempt());
                changed = update.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_attempt"
                    + " (delivery_id, attempt, at, http_status, outcome, millis)"
                    + " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM notification_delivery WHERE id = ?)"
                    + " ON CONFLICT DO NOTHING")) {
                insert.setLong(1, claimed.id());
                insert.setInt(2, claimed.attempt());
                insert.setObject(3, at.atOffset(ZoneOffset.UTC));
                insert.setObject(4, outcome.status());
                insert.setString(5, outcome.description());
                insert.setLong(6, outcome.millis());
                insert.setLong(7, claimed.id());
                insert.executeUpdate();
            }
            return changed == 1 ? after : After.CLAIM_LOST;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record an attempt at delivery " + claimed.id(), e);
        }
    }

    /** The subscription's latest deliveries, newest first, each with its attempts; {@code state} filters. */
    @Transactional
    public List<DeliveryView> recent(UUID subscription, Optional<String> state) {
        Map<Long, DeliveryView> views = new LinkedHashMap<>();
        Map<Long, List<Attempt>> tries = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, notice_id, notice_type, summary,"
                    + " state, attempts, created_at, due_at, finished_at, last_outcome FROM notification_delivery"
                    + " WHERE subscription_id = ? AND (?::text IS NULL OR state = ?) ORDER BY id DESC LIMIT " + RECENT)) {
                select.setObject(1, subscription);
                select.setString(2, state.orElse(null));
                select.setString(3, state.orElse(null));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long id = rows.getLong("id");
                        List<Attempt> attempts = new ArrayList<>();
                        tries.put(id, attempts);
                        String rowState = rows.getString("state");
                        views.put(id, new DeliveryView(id, rows.getObject("notice_id", UUID.class),
                                rows.getString("notice_type"), rows.getString("summary"), rowState,
                                rows.getInt("attempts"), rows.getTimestamp("created_at").toInstant(),
                                rowState.equals("pending") ? rows.getTimestamp("due_at").toInstant() : null,
                                rows.getTimestamp("finished_at") == null ? null
                                        : rows.getTimestamp("finished_at").toInstant(),
                                rows.getString("last_outcome"), attempts));
                    }
                }
            }
            if (!views.isEmpty()) {
                try (PreparedStatement select = connection.prepareStatement("SELECT delivery_id, attempt, at,"
                        + " http_status, outcome, millis FROM notification_attempt WHERE delivery_id = ANY (?)"
                        + " ORDER BY delivery_id, attempt")) {
                    select.setArray(1, connection.createArrayOf("bigint", views.keySet().toArray()));
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            tries.get(rows.getLong("delivery_id")).add(new Attempt(rows.getInt("attempt"),
                                    rows.getTimestamp("at").toInstant(), (Integer) rows.getObject("http_status"),
                                    rows.getString("outcome"), rows.getLong("millis")));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deliveries of subscription " + subscription, e);
        }
        return List.copyOf(views.values());
    }

    /** Forgets finished deliveries older than {@code before}, with their attempts; idempotent on any replica. */
    @Transactional
    int forgetFinishedBefore(Instant before) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM notification_delivery"
                     + " WHERE state <> 'pending' AND finished_at < ?")) {
            delete.setObject(1, before.atOffset(ZoneOffset.UTC));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget old deliveries", e);
        }
    }
}
