package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.events.MetricEvent.MetricSampleRecorded;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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
                                                window_start, window_end, requests, errors, received_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sample_id) DO NOTHING""")) {
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

    /** Requests and errors per variant of one feature in one environment. */
    public record Totals(long onRequests, long onErrors, long offRequests, long offErrors) {
    }

    public Totals totals(String featureKey, String environment) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT variant, sum(requests), sum(errors) FROM metric_sample
                     WHERE feature_key = ? AND environment = ? GROUP BY variant""")) {
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
}
