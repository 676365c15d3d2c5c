package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.UndecodableEvent;
import dev.twostep.problems.DatabaseUnavailable;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one way a service applies what it consumes from Kafka, a whole poll at a time (channels set {@code batch=true}).
 * The service states which events it handles and with which methods ({@link EventHandlers}); each channel's method
 * only hands its poll here. Then:
 * <ol>
 *   <li>decode each record; a record that is not a valid Twostep event is poison;</li>
 *   <li>hand each event to its handler, and record the event ids and the poll's positions ({@link ConsumedPositions}),
 *       in one transaction, each event at most once, so that a backlog costs one commit per poll instead of one per
 *       record;</li>
 *   <li>retry while the database is unreachable, so an outage never loses or skips a record;</li>
 *   <li>when the shared transaction fails for another reason, apply the poll record by record, and give up on a
 *       record whose effect keeps failing, so that it cannot block its partition or hold the others back.</li>
 * </ol>
 * Poison is nacked record by record as a {@link PoisonRecord}; the channel's {@code dead-letter-queue} failure
 * strategy then moves it to {@code <topic>.dlq}, with the reason in the {@code dead-letter-reason} header. The poll is
 * acknowledged only once every dead letter is written.
 */
@ApplicationScoped
public class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    private final Inbox inbox;
    private final ConsumedPositions positions;
    private final EventMetrics metrics;
    private final int attemptsBeforeDeadLetter;

    EventIntake(Inbox inbox, ConsumedPositions positions, EventMetrics metrics, IntakeConfig config) {
        this.inbox = inbox;
        this.positions = positions;
        this.metrics = metrics;
        this.attemptsBeforeDeadLetter = config.attempts();
    }

    /** Applies one poll, as the class comment describes; the stage completes once the poll is acknowledged. */
    public CompletionStage<Void> accept(KafkaRecordBatch<String, byte[]> batch, EventHandlers handlers) {
        List<CompletableFuture<Void>> deadLetters = new ArrayList<>();
        List<Decoded> decoded = new ArrayList<>();
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            ConsumerRecord<String, byte[]> record = consumerRecordOf(message);
            nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            try {
                decoded.add(new Decoded(message, CloudEventCodec.fromRecord(record)));
            } catch (UndecodableEvent e) {
                deadLetters.add(deadLetter(message, record, e.getMessage(), e));
            }
        }
        try {
            applyTogether(decoded.stream().map(Decoded::event).toList(), nextOffsets, handlers, 1);
        } catch (RuntimeException together) {
            for (Decoded one : decoded) {
                try {
                    applyTogether(List.of(one.event()), Map.of(), handlers, attemptsBeforeDeadLetter);
                } catch (RuntimeException alone) {
                    deadLetters.add(deadLetter(one.message(), consumerRecordOf(one.message()),
                            "effect failed " + attemptsBeforeDeadLetter + " times: " + rootMessage(alone), alone));
                }
            }
            // Every record is applied or on its way to the DLQ: the poll is done with.
            applyTogether(List.of(), nextOffsets, handlers, attemptsBeforeDeadLetter);
        }
        return CompletableFuture.allOf(deadLetters.toArray(CompletableFuture[]::new)).thenCompose(written -> batch.ack());
    }

    /**
     * Hands the events in order to their handlers in one transaction, each at most once, records the consumed positions
     * with them, and counts them. Retries for as long as the database is unreachable, so an outage never loses or skips
     * a record; any other failure is retried until {@code attempts} have failed, then thrown.
     */
    private void applyTogether(List<EventEnvelope> events, Map<TopicPartition, Long> nextOffsets,
                               EventHandlers handlers, int attempts) {
        if (events.isEmpty() && nextOffsets.isEmpty()) {
            return;
        }
        int failures = 0;
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    for (EventEnvelope event : events) {
                        if (inbox.firstDelivery(event)) {
                            handlers.dispatch(event);
                        }
                    }
                    positions.advance(nextOffsets);
                });
                events.forEach(event -> metrics.consumed(event.type()));
                return;
            } catch (RuntimeException e) {
                if (DatabaseUnavailable.isCauseOf(e)) {
                    LOG.warnf("database unavailable while applying %d event(s), retrying: %s", events.size(),
                            e.getMessage());
                } else if (++failures >= attempts) {
                    throw e;
                }
                Backoff.sleep(backoff.next());
            }
        }
    }

    private CompletableFuture<Void> deadLetter(KafkaRecord<String, byte[]> message, ConsumerRecord<String, byte[]> record,
                                               String reason, Throwable cause) {
        return message.nack(poison(record, reason, cause)).toCompletableFuture();
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]> consumerRecordOf(KafkaRecord<String, byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, byte[]>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException("a batch record without its Kafka metadata"));
    }

    private PoisonRecord poison(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
        metrics.deadLettered(record.topic());
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        return new PoisonRecord(reason, cause);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** A record of the poll that decoded, with its message, so that it can still be dead-lettered on its own. */
    private record Decoded(KafkaRecord<String, byte[]> message, EventEnvelope event) {
    }

    /** A record that will never apply; the message is the reason written to the dead-letter topic. */
    public static class PoisonRecord extends RuntimeException {
        PoisonRecord(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
