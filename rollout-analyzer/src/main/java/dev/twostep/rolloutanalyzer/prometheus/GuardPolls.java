package dev.twostep.rolloutanalyzer.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.twostep.events.EventJson;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.decision.GuardLook;
import dev.twostep.rolloutanalyzer.prometheus.PrometheusGuardSource.Look;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code guard_poll} table: which Prometheus guards of active rollouts are due, and each one's latest look (V14
 * says why, V17 how it stays small without vacuum keeping up); and the {@code guard_look} table: every look at a step,
 * kept for a rejudge to replay (V16).
 */
@ApplicationScoped
public class GuardPolls {

    /** A guard's latest look at the step that began at {@code stepStartedAt}. */
    public record Polled(String rolloutId, String guard, int failures, Instant stepStartedAt, Instant readAt, Look look) {

        /** The look as the judge reads it, at step number {@code step} (the one that began at stepStartedAt). */
        public GuardLook atStep(int step) {
            return new GuardLook(guard, step, readAt, look.baseline(), look.treatment(), look.queries(), look.noData());
        }
    }

    private final AgroalDataSource dataSource;

    GuardPolls(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new rollout's Prometheus guard, due at once; a repeat changes nothing. */
    public void register(String rolloutId, String guard, Instant now) {
        update("INSERT INTO guard_poll (rollout_id, guard, next_poll_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                statement -> {
                    statement.setString(1, rolloutId);
                    statement.setString(2, guard);
                    statement.setTimestamp(3, Timestamp.from(now));
                });
    }

    /**
     * An ended rollout's guards, in the transaction that ends it: the table then holds the guards of active rollouts
     * only, so the poller's scan of it costs what is running, not what ever ran. A look still in flight updates no
     * row when it lands.
     */
    public void forget(String rolloutId) {
        update("DELETE FROM guard_poll WHERE rollout_id = ?", statement -> statement.setString(1, rolloutId));
    }

    /**
     * Claims up to {@code limit} due guards by moving them {@code lease} ahead, in one statement that commits at
     * once: SKIP LOCKED keeps two replicas off the same rows, and the lease keeps them off until this replica has
     * written its look, or until the lease runs out if it died. Every row is an active rollout's ({@link #forget});
     * the scan reads the whole small table, since an index on next_poll_at would make every update non-HOT (V17).
     */
    public List<Polled> claimDue(Instant now, Instant leaseUntil, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement claim = connection.prepareStatement("""
                     UPDATE guard_poll p SET next_poll_at = ?
                     FROM (SELECT rollout_id, guard FROM guard_poll WHERE next_poll_at <= ?
                           ORDER BY next_poll_at LIMIT ? FOR UPDATE SKIP LOCKED) due
                     WHERE p.rollout_id = due.rollout_id AND p.guard = due.guard
                     RETURNING\s""" + COLUMNS.replaceAll("(\\w+)", "p.$1"))) {
            claim.setTimestamp(1, Timestamp.from(leaseUntil));
            claim.setTimestamp(2, Timestamp.from(now));
            claim.setInt(3, limit);
            List<Polled> claimed = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(read(rows));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim due Prometheus guards", e);
        }
    }

    public Optional<Polled> find(String rolloutId, String guard) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM guard_poll WHERE rollout_id = ? AND guard = ?")) {
            query.setString(1, rolloutId);
            query.setString(2, guard);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a Prometheus guard's look", e);
        }
    }

    /**
     * Writes the guard's latest look and when the next is due (soon after a success, later after each failure in a
     * row) without keeping it for replay: for a look at no step, while the rollout's first step has not begun.
     */
    public void record(String rolloutId, String guard, Instant stepStartedAt, Instant readAt, Look look, int failures,
                       Instant nextPollAt) {
        update("""
                UPDATE guard_poll SET step_started_at = ?, read_at = ?, control_requests = ?, control_bad = ?,
                       treatment_requests = ?, treatment_bad = ?, queries = ?, no_data = ?, failures = ?, next_poll_at = ?
                WHERE rollout_id = ? AND guard = ?""", statement -> {
            statement.setTimestamp(1, Timestamp.from(stepStartedAt));
            statement.setTimestamp(2, Timestamp.from(readAt));
            setCounts(statement, 3, look.baseline());
            setCounts(statement, 5, look.treatment());
            statement.setString(7, json(look.queries()));
            statement.setString(8, look.noData());
            statement.setInt(9, failures);
            statement.setTimestamp(10, Timestamp.from(nextPollAt));
            statement.setString(11, rolloutId);
            statement.setString(12, guard);
        });
    }

    /**
     * Writes a look at step {@code step} as the guard's latest and keeps it for replay, in one statement, so that
     * neither is written without the other. The kept look is keyed by rollout, step, guard and the look's time: a
     * write repeated, or a second replica that read the guard after a lease ran out, adds no second copy of a look,
     * and a look is a snapshot of the step so far, so two looks at different times never add up.
     */
    public void recordLook(String rolloutId, String guard, int step, Instant stepStartedAt, Instant readAt, Look look,
                           int failures, Instant nextPollAt) {
        update("""
                WITH kept AS (
                    INSERT INTO guard_look (rollout_id, step, guard, read_at, step_started_at, baseline_requests,
                                            baseline_bad, treatment_requests, treatment_bad, queries, no_data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING)
                UPDATE guard_poll SET step_started_at = ?, read_at = ?, control_requests = ?, control_bad = ?,
                       treatment_requests = ?, treatment_bad = ?, queries = ?, no_data = ?, failures = ?, next_poll_at = ?
                WHERE rollout_id = ? AND guard = ?""", statement -> {
            String queries = json(look.queries());
            statement.setString(1, rolloutId);
            statement.setInt(2, step);
            statement.setString(3, guard);
            statement.setTimestamp(4, Timestamp.from(readAt));
            statement.setTimestamp(5, Timestamp.from(stepStartedAt));
            setCounts(statement, 6, look.baseline());
            setCounts(statement, 8, look.treatment());
            statement.setString(10, queries);
            statement.setString(11, look.noData());
            statement.setTimestamp(12, Timestamp.from(stepStartedAt));
            statement.setTimestamp(13, Timestamp.from(readAt));
            setCounts(statement, 14, look.baseline());
            setCounts(statement, 16, look.treatment());
            statement.setString(18, queries);
            statement.setString(19, look.noData());
            statement.setInt(20, failures);
            statement.setTimestamp(21, Timestamp.from(nextPollAt));
            statement.setString(22, rolloutId);
            statement.setString(23, guard);
        });
    }

    /** Every look kept for a rollout's Prometheus guards, oldest first. */
    public List<GuardLook> looks(String rolloutId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT guard, step, read_at, baseline_requests, baseline_bad, treatment_requests, treatment_bad,
                            queries, no_data
                     FROM guard_look WHERE rollout_id = ? ORDER BY read_at, guard""")) {
            query.setString(1, rolloutId);
            List<GuardLook> looks = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    looks.add(new GuardLook(rows.getString(1), rows.getInt(2), rows.getTimestamp(3).toInstant(),
                            counts(rows, 4), counts(rows, 6), queries(rows.getString(8)), rows.getString(9)));
                }
            }
            return looks;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the kept looks of rollout " + rolloutId, e);
        }
    }

    private static final String COLUMNS = "rollout_id, guard, failures, step_started_at, read_at, control_requests, "
            + "control_bad, treatment_requests, treatment_bad, queries, no_data";

    private static Polled read(ResultSet row) throws SQLException {
        Timestamp stepStartedAt = row.getTimestamp(4);
        Timestamp readAt = row.getTimestamp(5);
        Look look = readAt == null ? null : new Look(counts(row, 6), counts(row, 8), queries(row.getString(10)),
                row.getString(11), false);
        return new Polled(row.getString(1), row.getString(2), row.getInt(3),
                stepStartedAt == null ? null : stepStartedAt.toInstant(), readAt == null ? null : readAt.toInstant(),
                look);
    }

    private static Counts counts(ResultSet row, int column) throws SQLException {
        long requests = row.getLong(column);
        return row.wasNull() ? null : new Counts(requests, row.getLong(column + 1));
    }

    private static void setCounts(PreparedStatement statement, int column, Counts counts) throws SQLException {
        statement.setObject(column, counts == null ? null : counts.requests(), java.sql.Types.BIGINT);
        statement.setObject(column + 1, counts == null ? null : counts.errors(), java.sql.Types.BIGINT);
    }

    private static String json(List<String> queries) {
        try {
            return EventJson.mapper().writeValueAsString(queries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write queries as JSON", e);
        }
    }

    private static List<String> queries(String json) {
        try {
            return json == null ? List.of() : EventJson.mapper().readValue(json, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored queries are unreadable", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write guard_poll", e);
        }
    }
}
