package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.events.ReleaseEvent.FeatureReleased;
import dev.twostep.events.ReleaseEvent.Guard;
import dev.twostep.events.ReleaseEvent.Plan;
import dev.twostep.events.ReleaseEvent.RolloutAborted;
import dev.twostep.events.ReleaseEvent.RolloutCompleted;
import dev.twostep.events.ReleaseEvent.RolloutStarted;
import dev.twostep.events.TwostepEvent;
import dev.twostep.testing.KafkaProbe;
import dev.twostep.testing.RealInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The bound on {@code metric_sample} on the real broker and database: the test plays the release-controller for
 * three rollouts whose events carry past times, stores samples that arrived long ago and lately and Prometheus looks,
 * and purges.
 */
@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class SampleRetentionTest {

    /** The default of twostep.analyzer.samples.retention. */
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Plan PLAN = new Plan(List.of(10.0, 100.0), 1000, Duration.ZERO, Duration.ofDays(365),
            new Guard("errorRate", 1.0, 0.95));

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String run = UUID.randomUUID().toString();
    private long sequence;

    @Inject
    SampleRetention retention;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void onlySamplesThatNoRolloutCanReplayAnyMoreAreDeletedAndRejudgeOfAnExpiredRolloutIsGone() throws SQLException {
        // (a) still active; (b) ended long before the period; (c) ended within it
        String active = "active-" + run;
        String longAgo = "long-ago-" + run;
        String recent = "recent-" + run;
        release(new RolloutStarted("ro-" + active, active, "prod", PLAN), daysAgo(60));
        release(new RolloutStarted("ro-" + longAgo, longAgo, "prod", PLAN), daysAgo(90));
        release(new RolloutAborted("ro-" + longAgo, longAgo, "prod", "errors"), daysAgo(60));
        release(new RolloutStarted("ro-" + recent, recent, "prod", PLAN), daysAgo(40));
        release(new FeatureReleased(recent, "prod", new Audience(10.0, List.of()), Audience.NOBODY, "rollout starts",
                "ro-" + recent, ReleaseEvent.FLAGD_FRACTIONAL_100K), daysAgo(40));
        release(new RolloutCompleted("ro-" + recent, recent, "prod"), daysAgo(2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(endedAt("ro-" + longAgo)).isEqualTo(daysAgo(60));
            assertThat(endedAt("ro-" + recent)).isEqualTo(daysAgo(2));
            given().get("/rollouts/{id}", "ro-" + active).then().statusCode(200).body("status", equalTo("ACTIVE"));
            given().get("/rollouts/{id}", "ro-" + recent).then().statusCode(200).body("steps", hasSize(1));
        });

        List<String> kept = new ArrayList<>();
        kept.add(sample(active, "on", daysAgo(40), 100, 1));
        kept.add(sample(active, "on", now.minus(Duration.ofHours(1)), 100, 1));
        List<String> expired = List.of(sample(longAgo, "on", daysAgo(70), 100, 1),
                sample(longAgo, "off", daysAgo(40), 100, 1)); // arrived after the end, still long ago
        kept.add(sample(longAgo, "on", now.minus(Duration.ofHours(1)), 100, 1)); // arrived late, kept the period
        kept.add(sample(recent, "on", daysAgo(39), 40_000, 400));
        kept.add(sample(recent, "off", daysAgo(39), 40_000, 400));
        kept.add(sample(recent, "on", daysAgo(1), 10, 0));
        // a Prometheus guard's kept looks go with their own rollout, once it ended longer ago than the period
        look("ro-" + active, daysAgo(50));
        look("ro-" + longAgo, daysAgo(80));
        look("ro-" + longAgo, daysAgo(61));
        look("ro-" + recent, daysAgo(35));
        Instant cutoff = retention.cutoff();

        assertThat(retention.purge()).isPresent();

        assertThat(looksOf("ro-" + longAgo)).isZero();
        assertThat(looksOf("ro-" + active)).isOne();
        assertThat(looksOf("ro-" + recent)).isOne();

        assertThat(present(expired)).isEmpty();
        assertThat(present(kept)).containsExactlyInAnyOrderElementsOf(kept);
        // the documented amount: nothing arrived before the cutoff unless a rollout may still replay it
        assertThat(count("""
                SELECT count(*) FROM metric_sample sample WHERE sample.received_at < ?
                  AND NOT EXISTS (SELECT 1 FROM rollout WHERE rollout.feature_key = sample.feature_key
                                    AND rollout.environment = sample.environment
                                    AND (rollout.status = 'ACTIVE' OR rollout.ended_at >= ?))""", cutoff))
                .isZero();

        given().contentType(ContentType.JSON).body("{\"policy\":{}}")
                .post("/rollouts/{id}/rejudge", "ro-" + longAgo).then().statusCode(410)
                .contentType("application/problem+json").body("status", equalTo(410)).body("title", equalTo("Gone"))
                .body("detail", containsString("metric samples were kept until " + daysAgo(60).plus(PERIOD)
                        + " and are gone"));
        // the guarantee: a rollout within the period replays every sample it had, the old ones included
        given().contentType(ContentType.JSON).body("{\"policy\":{}}")
                .post("/rollouts/{id}/rejudge", "ro-" + recent).then().statusCode(200)
                .body("steps", hasSize(1)).body("steps[0].evidence.treatment.requests", equalTo(40_000))
                .body("steps[0].evidence.control.requests", equalTo(40_000));
    }

    private Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days));
    }

    private void release(TwostepEvent event, Instant at) {
        KafkaProbe.send(CloudEventCodec.toRecord(new EventEnvelope(UUID.randomUUID(), "/twostep/release-controller",
                event.aggregateId(), ++sequence, at, run, null, "release-manager", null, event)));
    }

    /** A sample stored as if it had arrived at {@code at}, its window starting then. */
    private String sample(String feature, String variant, Instant at, long requests, long errors) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO metric_sample (sample_id, application, environment, feature_key, variant,
                                           window_start, window_end, requests, errors, received_at)
                VALUES (?, 'checkout', 'prod', ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, feature);
            insert.setString(3, variant);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setTimestamp(5, Timestamp.from(at.plusSeconds(10)));
            insert.setLong(6, requests);
            insert.setLong(7, errors);
            insert.setTimestamp(8, Timestamp.from(at));
            insert.executeUpdate();
        }
        return id;
    }

    /** A look at a Prometheus guard of step 1, taken at {@code at}. */
    private void look(String rolloutId, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO guard_look (rollout_id, step, guard, read_at, step_started_at, baseline_requests,
                                        baseline_bad, treatment_requests, treatment_bad, queries)
                VALUES (?, 1, 'errors', ?, ?, 1000, 10, 100, 1, '[]')""")) {
            insert.setString(1, rolloutId);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setTimestamp(3, Timestamp.from(at.minusSeconds(60)));
            insert.executeUpdate();
        }
    }

    private long looksOf(String rolloutId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM guard_look WHERE rollout_id = ?")) {
            query.setString(1, rolloutId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private Instant endedAt(String rolloutId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT ended_at FROM rollout WHERE rollout_id = ?")) {
            query.setString(1, rolloutId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getTimestamp(1) != null ? row.getTimestamp(1).toInstant() : null;
            }
        }
    }

    private List<String> present(List<String> sampleIds) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT sample_id FROM metric_sample WHERE sample_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", sampleIds.toArray()));
            List<String> present = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
            return present;
        }
    }

    private long count(String sql, Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setTimestamp(1, Timestamp.from(cutoff));
            query.setTimestamp(2, Timestamp.from(cutoff));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
