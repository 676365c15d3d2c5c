package dev.twostep.releasecontroller.intake;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the {@link SnapshotFollower} has read the release topic, and so how current the flag snapshot is. The
 * follower reports after each poll; readiness and the metrics read it from other threads.
 *
 * <ul>
 *   <li>The positions it reached, kept in memory only: after an error the follower resumes there.</li>
 *   <li>The end offsets it saw first: the replica is ready once it has read that far, and stays ready.</li>
 *   <li>The lag behind the end offsets it saw last, and the age: how long ago it last saw itself at the end of every
 *       partition. At that moment the snapshot held every release published before it.</li>
 * </ul>
 */
final class FollowerProgress {

    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> endAtStart;
    private volatile boolean caughtUpWithStart;
    private volatile long lag = -1;
    private volatile Instant currentAt;

    /** Where to go on reading a partition: past the last release applied, or empty to read it from the beginning. */
    OptionalLong resumeAt(TopicPartition partition) {
        Long position = positions.get(partition);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /**
     * After the records of a poll were applied.
     *
     * @param applied the positions now, past every record applied
     * @param end     the end offsets, asked for at {@code askedAt}, before that poll
     */
    void read(Map<TopicPartition, Long> applied, Map<TopicPartition, Long> end, Instant askedAt) {
        positions.putAll(applied);
        if (endAtStart == null) {
            endAtStart = Map.copyOf(end);
        }
        if (!caughtUpWithStart) {
            caughtUpWithStart = behind(endAtStart) == 0;
        }
        lag = behind(end);
        if (lag == 0) {
            currentAt = askedAt;
        }
    }

    private long behind(Map<TopicPartition, Long> end) {
        return end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - positions.getOrDefault(e.getKey(), 0L))).sum();
    }

    boolean caughtUpWithStart() {
        return caughtUpWithStart;
    }

    /** The records not yet read, as of the last end offsets seen; empty before the first poll. */
    OptionalLong lagRecords() {
        return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    /** Empty until the follower has been at the end once. */
    Optional<Duration> age(Instant now) {
        Instant at = currentAt;
        return at == null ? Optional.empty() : Optional.of(Duration.between(at, now));
    }
}
