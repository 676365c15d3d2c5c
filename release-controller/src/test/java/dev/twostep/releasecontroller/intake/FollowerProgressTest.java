package dev.twostep.releasecontroller.intake;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FollowerProgressTest {

    private static final TopicPartition P0 = new TopicPartition("twostep.release.events", 0);
    private static final TopicPartition P1 = new TopicPartition("twostep.release.events", 1);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final FollowerProgress progress = new FollowerProgress();

    @Test
    void isCaughtUpOnceEveryPartitionReachedTheEndOffsetsSeenFirstAndStaysSo() {
        progress.read(Map.of(P0, 0L, P1, 0L), Map.of(P0, 10L, P1, 5L), T0);
        progress.read(Map.of(P0, 10L, P1, 4L), Map.of(P0, 12L, P1, 5L), T0.plusSeconds(1));
        assertThat(progress.caughtUpWithStart()).isFalse();

        // Past the end seen first, though not at the end now: the topic grew meanwhile.
        progress.read(Map.of(P0, 10L, P1, 5L), Map.of(P0, 30L, P1, 5L), T0.plusSeconds(2));
        assertThat(progress.caughtUpWithStart()).isTrue();
        assertThat(progress.lagRecords()).hasValue(20);

        progress.read(Map.of(P0, 10L, P1, 5L), Map.of(P0, 90L, P1, 5L), T0.plusSeconds(3));
        assertThat(progress.caughtUpWithStart()).isTrue();
    }

    @Test
    void resumesPastTheLastReleaseAppliedAndFromTheBeginningWhereItReadNothingYet() {
        assertThat(progress.resumeAt(P0)).isEmpty();

        progress.read(Map.of(P0, 7L), Map.of(P0, 9L, P1, 3L), T0);

        assertThat(progress.resumeAt(P0)).hasValue(7);
        assertThat(progress.resumeAt(P1)).isEmpty();
    }

    @Test
    void theAgeCountsFromWhenTheEndLastSeenWasReachedAndGrowsWhileTheFollowerIsBehindOrAway() {
        assertThat(progress.age(T0)).isEmpty();
        assertThat(progress.lagRecords()).isEmpty();

        progress.read(Map.of(P0, 4L, P1, 2L), Map.of(P0, 4L, P1, 2L), T0);
        assertThat(progress.age(T0.plusMillis(300))).hasValue(Duration.ofMillis(300));

        progress.read(Map.of(P0, 4L, P1, 2L), Map.of(P0, 6L, P1, 2L), T0.plusSeconds(1));
        assertThat(progress.lagRecords()).hasValue(2);
        assertThat(progress.age(T0.plusSeconds(5))).hasValue(Duration.ofSeconds(5));
    }
}
