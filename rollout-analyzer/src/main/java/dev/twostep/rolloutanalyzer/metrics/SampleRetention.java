package dev.twostep.rolloutanalyzer.metrics;

import dev.twostep.outbox.Retention;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Keeps {@code metric_sample} and {@code guard_look} bounded. Rejudge replays a rollout's samples, so they stay while
 * any rollout of their feature in their environment is active or ended less than the retention period ago; after
 * that, and once they arrived more than that period ago, nothing reads them any more and they are deleted. A
 * rollout's kept Prometheus looks are its own, so they go when it ended more than the period ago, when its rejudge
 * answers 410 anyway.
 */
@ApplicationScoped
public class SampleRetention {

    // The cutoff is bound once and used twice (arrival and rollout end): Retention binds exactly (cutoff, chunk size).
    private static final String CHUNK_DELETE = """
            WITH cutoff AS (SELECT ?::timestamptz AS at)
            DELETE FROM metric_sample WHERE sample_id IN (
                SELECT sample.sample_id FROM metric_sample sample, cutoff
                WHERE sample.received_at < cutoff.at
                  AND NOT EXISTS (SELECT 1 FROM rollout
                                  WHERE rollout.feature_key = sample.feature_key
                                    AND rollout.environment = sample.environment
                                    AND (rollout.status = 'ACTIVE' OR rollout.ended_at >= cutoff.at))
                LIMIT ?)""";

    private static final String LOOK_CHUNK_DELETE = """
            DELETE FROM guard_look WHERE (rollout_id, step, guard, read_at) IN (
                SELECT look.rollout_id, look.step, look.guard, look.read_at
                FROM guard_look look JOIN rollout ON rollout.rollout_id = look.rollout_id
                WHERE rollout.ended_at < ?
                LIMIT ?)""";

    private final Retention retention;
    private final Clock clock;
    private final Duration period;

    SampleRetention(Retention retention, Clock clock, SampleRetentionConfig config) {
        this.retention = retention;
        this.clock = clock;
        this.period = config.retention();
    }

    @Scheduled(every = "${twostep.analyzer.samples.retention-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledPurge() {
        purge();
    }

    /** @return the samples and looks deleted, or empty when another replica is purging both tables */
    public OptionalLong purge() {
        Instant cutoff = cutoff();
        OptionalLong samples = retention.purge("metric_sample", CHUNK_DELETE, cutoff);
        OptionalLong looks = retention.purge("guard_look", LOOK_CHUNK_DELETE, cutoff);
        return samples.isEmpty() && looks.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(samples.orElse(0) + looks.orElse(0));
    }

    /** Samples that arrived before this may be gone, unless a rollout of their feature is active or ended after it. */
    public Instant cutoff() {
        return clock.instant().minus(period);
    }

    /** Until when the samples of a rollout that ended at {@code endedAt} are kept for its rejudge. */
    public Instant keptUntil(Instant endedAt) {
        return endedAt.plus(period);
    }
}
