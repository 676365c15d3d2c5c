package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import dev.twostep.events.MetricEvent.Variant;
import dev.twostep.events.RolloutDecisionEvent.Counts;
import dev.twostep.rolloutanalyzer.decision.Replay.RecordedSample;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores metric samples once each, keyed by sample id, whichever way they arrive. A batch is
 * stored whole or not at all.
 */
@ApplicationScoped
public class MetricSamples {

    private final AgroalDataSource dataSource;
    private final Clock clock;

    MetricSamples(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** @return how many of the samples were new */
    @Transactional
    public int record(List<MetricSampleRecorded> samples) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO metric_sample (sample_id, application, environment, feature_key, variant,
                                                window_start, window_end, requests, errors, received_at, metric)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sample_id) DO NOTHING""")) {
            Timestamp now = Timestamp.from(clock.instant());
            for (MetricSampleRecorded sample : samples) {
                insert.setString(1, sample.sampleId());
                insert.setString(2, sample.application());
                insert.setString(3, sample.environment());
                insert.setString(4, sample.featureKey());
                insert.setString(5, sample.variant().name());
                insert.setTimestamp(6, Timestamp.from(sample.windowStart()));
                insert.setTimestamp(7, Timestamp.from(sample.windowEnd()));
                insert.setLong(8, sample.requests());
                insert.setLong(9, sample.errors());
                insert.setTimestamp(10, now);
                insert.setString(11, sample.metric());
                insert.addBatch();
            }
            int added = 0;
            for (int result : insert.executeBatch()) {
                added += Math.max(result, 0);
            }
            return added;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store metric samples", e);
        }
    }

    /** Requests and errors per variant of one feature in one environment, over the samples that name no guard. */
    public record Totals(long onRequests, long onErrors, long offRequests, long offErrors) {
    }

    public Totals totals(String featureKey, String environment) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT variant, sum(requests), sum(errors) FROM metric_sample
                     WHERE feature_key = ? AND environment = ? AND metric IS NULL GROUP BY variant""")) {
            query.setString(1, featureKey);
            query.setString(2, environment);
            long[] totals = new long[4];
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int offset = rows.getString(1).equals("on") ? 0 : 2;
                    totals[offset] = rows.getLong(2);
                    totals[offset + 1] = rows.getLong(3);
                }
            }
            return new Totals(totals[0], totals[1], totals[2], totals[3]);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read metric samples", e);
        }
    }

    /**
     * One variant's requests and errors for one guard over the samples whose window started in
     * {@code [from, until)}; {@code until} null means no end. A sample belongs to the step during which its window
     * started, and to the guard it names; a sample that names none belongs to the plan's first guard.
     */
    public Counts sum(String featureKey, String environment, String guard, boolean firstGuard, Variant variant,
                      Instant from, Instant until) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT coalesce(sum(requests), 0), coalesce(sum(errors), 0) FROM metric_sample
                     WHERE feature_key = ? AND environment = ? AND (metric = ? OR (? AND metric IS NULL))
                       AND variant = ? AND window_start >= ? AND (?::timestamptz IS NULL OR window_start < ?)""")) {
            query.setString(1, featureKey);
            query.setString(2, environment);
            query.setString(3, guard);
            query.setBoolean(4, firstGuard);
            query.setString(5, variant.name());
            query.setTimestamp(6, Timestamp.from(from));
            Timestamp end = until == null ? null : Timestamp.from(until);
            query.setTimestamp(7, end);
            query.setTimestamp(8, end);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Counts(row.getLong(1), row.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sum metric samples", e);
        }
    }

    /** Every sample of a feature in an environment whose window started at or after {@code from}, as it arrived. */
    public List<RecordedSample> since(String featureKey, String environment, Instant from) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT variant, window_start, received_at, requests, errors, metric FROM metric_sample
                     WHERE feature_key = ? AND environment = ? AND window_start >= ?
                     ORDER BY received_at, sample_id""")) {
            query.setString(1, featureKey);
            query.setString(2, environment);
            query.setTimestamp(3, Timestamp.from(from));
            List<RecordedSample> samples = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    samples.add(new RecordedSample(Variant.valueOf(rows.getString(1)),
                            rows.getTimestamp(2).toInstant(), rows.getTimestamp(3).toInstant(), rows.getLong(4),
                            rows.getLong(5), rows.getString(6)));
                }
            }
            return samples;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read metric samples", e);
        }
    }
}
