package dev.twostep.outbox;

import dev.twostep.events.CloudEventCodec;
import dev.twostep.events.EventEnvelope;
import dev.twostep.events.UndecodableEvent;
import dev.twostep.problems.DatabaseUnavailable;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one way a service applies a consumed Kafka record:
 * <ol>
 *   <li>decode it; a record that is not a valid Twostep event is poison;</li>
 *   <li>apply the effect and record the event id in one transaction, at most once;</li>
 *   <li>retry while the database is unreachable, so an outage never loses or skips a record;</li>
 *   <li>give up on a record whose effect keeps failing for another reason, so it cannot block its partition.</li>
 * </ol>
 * Poison is thrown as {@link PoisonRecord}; the channel's {@code dead-letter-queue} failure strategy
 * then moves it to {@code <topic>.dlq}, with the reason in the {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    private final Inbox inbox;
    private final EventMetrics metrics;
    private final int attemptsBeforeDeadLetter;

    EventIntake(Inbox inbox, EventMetrics metrics,
                @ConfigProperty(name = "twostep.intake.attempts", defaultValue = "3") int attemptsBeforeDeadLetter) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.attemptsBeforeDeadLetter = attemptsBeforeDeadLetter;
    }

    public void accept(ConsumerRecord<String, byte[]> record, Consumer<EventEnvelope> effect) {
        EventEnvelope event;
        try {
            event = CloudEventCodec.fromRecord(record);
        } catch (UndecodableEvent e) {
            throw poison(record, e.getMessage(), e);
        }
        int failures = 0;
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (inbox.firstDelivery(event)) {
                        effect.accept(event);
                    }
                });
                metrics.consumed(event.type());
                return;
            } catch (RuntimeException e) {
                if (DatabaseUnavailable.isCauseOf(e)) {
                    LOG.warnf("database unavailable while applying %s, retrying in %d ms: %s", event.id(),
                            backoff.toMillis(), e.getMessage());
                } else if (++failures >= attemptsBeforeDeadLetter) {
                    throw poison(record, "effect failed " + failures + " times: " + rootMessage(e), e);
                }
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : backoff.multipliedBy(2);
            }
        }
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

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    /** A record that will never apply; the message is the reason written to the dead-letter topic. */
    public static class PoisonRecord extends RuntimeException {
        PoisonRecord(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
