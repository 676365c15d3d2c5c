package dev.twostep.outbox;

import dev.twostep.problems.ProblemException;
import dev.twostep.refusals.Refused;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Read-your-writes across services. A client that saw a write accepted by one service (a build, a deployment's
 * success) may act on it at the next service at once, before that service consumed the event. A refusal that may
 * only mean "not consumed yet" (no such artefact, no such feature, its code not deployed) is therefore not answered
 * at once: the service first waits until its consumers, on any replica, have applied the topics that would tell it
 * up to their end offsets, and tries the command again; it keeps doing so while the end offsets move (the upstream
 * relay may publish a moment after the client saw the write), for at most {@code twostep.catch-up.within} (2 s).
 * A real typo is refused after that bound.
 */
@ApplicationScoped
public class TopicCatchUp {

    private static final Duration LOOK_AGAIN = Duration.ofMillis(50);

    private final ConsumedPositions positions;
    private final Map<String, Object> kafkaConfig;
    private final Duration within;
    private volatile Admin admin;

    TopicCatchUp(ConsumedPositions positions, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                 CatchUpConfig config) {
        this.positions = positions;
        this.kafkaConfig = kafkaConfig;
        this.within = config.within();
    }

    /**
     * Runs {@code command}; while it is refused (a {@link ProblemException}, or a decision's {@link Refused} as its
     * answer reads) in a way that {@code mayBeBehind} says could come from not having consumed {@code topics} yet,
     * catches up with them and runs it again, within the bound.
     */
    public <T> T retryWhileBehind(Supplier<T> command, Predicate<ProblemException> mayBeBehind, List<String> topics) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return command.get();
            } catch (ProblemException | Refused refused) {
                if (!mayBeBehind.test(answerTo(refused)) || System.nanoTime() >= deadline) {
                    throw refused;
                }
                awaitApplied(topics, deadline);
            }
        }
    }

    /** The answer a client gets to a refusal: the service's own, or a decision's as problem-details maps it. */
    private static ProblemException answerTo(RuntimeException refused) {
        return refused instanceof Refused decision ? ProblemException.of(decision) : (ProblemException) refused;
    }

    /** Waits until the end offsets of {@code topics}, as of now, are applied, or the deadline passes. */
    private void awaitApplied(List<String> topics, long deadline) {
        Map<TopicPartition, Long> ends = endOffsets(topics, deadline);
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, Long> applied = positions.of(topics);
            boolean caughtUp = ends.entrySet().stream()
                    .allMatch(end -> applied.getOrDefault(end.getKey(), 0L) >= end.getValue());
            Backoff.sleep(LOOK_AGAIN);
            if (caughtUp) {
                return; // if the command is still refused, the next round reads the end offsets anew
            }
        }
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics, long deadline) {
        long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription topic : admin().describeTopics(topics).allTopicNames()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS).values()) {
                topic.partitions().forEach(partition ->
                        latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin().listOffsets(latest).all().get(timeoutMillis, TimeUnit.MILLISECONDS)
                    .forEach((partition, offset) -> ends.put(partition, offset.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading end offsets", e);
        } catch (Exception e) {
            // Kafka is unreachable or slow: answer from what is known rather than hold the request.
            return Map.of();
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(new HashMap<>(kafkaConfig));
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
