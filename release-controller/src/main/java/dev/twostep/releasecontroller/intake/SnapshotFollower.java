package dev.twostep.releasecontroller.intake;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.Topics;
import dev.twostep.events.UndecodableEvent;
import dev.twostep.outbox.GrouplessConsumers;
import dev.twostep.releasecontroller.evaluation.FlagSnapshot;
import dev.twostep.releasecontroller.service.ReleaseProjection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds this replica's flag snapshot and keeps it in step with the releases that other replicas commit. At start it
 * fills the snapshot from the read model and reads the release topic from the beginning; the replica is ready once
 * it has read up to the end offsets it saw first ({@link FollowerProgress}). It then follows the topic.
 *
 * <p>Every replica reads the whole topic by itself, with no consumer group: each must see every release, and none
 * depends on another's progress. The snapshot keeps the newest sequence of each flag, so reading a release again is
 * harmless, and the positions live in memory only: after an error the follower goes on from where it stood, and it
 * reads from the beginning only when the snapshot is built afresh, in a new process.
 *
 * <p>Records that are not release events are skipped: dead-lettering them is the job of the services that consume
 * this topic for their effects. A release that the snapshot cannot take stops the follower there, visibly (the
 * snapshot's age grows), rather than being skipped.
 */
@ApplicationScoped
class SnapshotFollower {

    private static final Logger LOG = Logger.getLogger(SnapshotFollower.class);
    /** Bounds an idle wait only: a poll returns as soon as a release arrives. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    private static final String CLIENT_ID = "release-controller-snapshot-follower";

    private final FlagSnapshot snapshot;
    private final ReleaseProjection projection;
    private final GrouplessConsumers consumers;
    private final Clock clock;
    private final FollowerProgress progress = new FollowerProgress();
    private volatile Consumer<String, byte[]> consumer;
    private volatile boolean running;

    SnapshotFollower(FlagSnapshot snapshot, ReleaseProjection projection, GrouplessConsumers consumers, Clock clock,
                     MeterRegistry registry) {
        this.snapshot = snapshot;
        this.projection = projection;
        this.consumers = consumers;
        this.clock = clock;
        Gauge.builder("twostep.flag.snapshot.lag", this, SnapshotFollower::lagRecords).baseUnit("records")
                .description("Releases on the topic that this replica's flag snapshot has not read yet")
                .register(registry);
        Gauge.builder("twostep.flag.snapshot.age", this, SnapshotFollower::ageSeconds).baseUnit("seconds")
                .description("How long ago this replica's flag snapshot last held every release published")
                .register(registry);
    }

    void start(@Observes StartupEvent started) {
        projection.fill(snapshot);
        running = true;
        Thread.ofPlatform().name("release-snapshot-follower").daemon().start(this::follow);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    FollowerProgress progress() {
        return progress;
    }

    Optional<Duration> age() {
        return progress.age(clock.instant());
    }

    private double lagRecords() {
        return progress.lagRecords().isPresent() ? progress.lagRecords().getAsLong() : Double.NaN;
    }

    private double ageSeconds() {
        return age().map(age -> age.toMillis() / 1000.0).orElse(Double.NaN);
    }

    /** Reads until shutdown; after an error it opens a new consumer a moment later, at the same positions. */
    private void follow() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try (Consumer<String, byte[]> kafka = consumers.open(CLIENT_ID, Map.of())) {
                consumer = kafka;
                List<TopicPartition> partitions = resume(kafka);
                while (running) {
                    // Asked before the poll, so that reaching these offsets proves every release published before
                    // this moment is in the snapshot.
                    Instant asked = clock.instant();
                    Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
                    kafka.poll(POLL).forEach(this::apply);
                    progress.read(partitions.stream().collect(Collectors.toMap(Function.identity(), kafka::position)),
                            end, asked);
                    retry = FIRST_RETRY;
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot follow %s for the flag snapshot, going on where it stood in %d ms: %s",
                        Topics.RELEASE_EVENTS, retry.toMillis(), e.getMessage());
                pause(retry);
                retry = retry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retry.multipliedBy(2);
            }
        }
    }

    /** Assigns every partition at the position this replica reached in it, or at the beginning if none yet. */
    private List<TopicPartition> resume(Consumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = kafka.partitionsFor(Topics.RELEASE_EVENTS, Duration.ofMinutes(1)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            // A topic that is not there yet: assigning nothing would follow nothing, silently.
            throw new IllegalStateException(Topics.RELEASE_EVENTS + " has no partitions yet");
        }
        kafka.assign(partitions);
        for (TopicPartition partition : partitions) {
            progress.resumeAt(partition).ifPresentOrElse(position -> kafka.seek(partition, position),
                    () -> kafka.seekToBeginning(List.of(partition)));
        }
        return partitions;
    }

    private static void pause(Duration retry) {
        try {
            Thread.sleep(retry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            snapshot.apply(CloudEventCodec.fromRecord(record));
        } catch (UndecodableEvent e) {
            LOG.debugf("skipping %s-%d@%d for the snapshot: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }
}
