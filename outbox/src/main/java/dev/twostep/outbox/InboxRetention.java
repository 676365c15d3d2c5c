package dev.twostep.outbox;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.OptionalLong;

/**
 * Keeps {@code processed_event} bounded: applied events are forgotten once they are older than the
 * {@link InboxWindow}'s retention. A redelivery inside the window changes nothing; one after it would be applied
 * again, which the window's check against Kafka's redelivery horizon makes impossible short of a group that was
 * reset by hand (and the consumers' effects are idempotent by their own keys for that case: see the README).
 */
@Startup // built at startup, so that a window that would let a redelivery through stops the service before any traffic
@ApplicationScoped
public class InboxRetention {

    private static final String DELETE_CHUNK = """
            DELETE FROM processed_event WHERE event_id IN (
                SELECT event_id FROM processed_event WHERE processed_at < ? LIMIT ?)""";

    private final Retention retention;
    private final Clock clock;
    private final InboxWindow window;

    InboxRetention(Retention retention, Clock clock, InboxConfig config) {
        this.retention = retention;
        this.clock = clock;
        this.window = config.window();
    }

    @Scheduled(every = "${twostep.inbox.retention-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        forgetExpired();
    }

    /** @return the entries forgotten, or empty when another replica is at it */
    public OptionalLong forgetExpired() {
        return retention.purge("processed_event", DELETE_CHUNK, clock.instant().minus(window.retention()));
    }
}
