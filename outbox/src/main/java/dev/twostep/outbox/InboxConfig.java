package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long the inbox remembers applied events, and how often it forgets the old ones ({@link InboxRetention}). */
@ConfigMapping(prefix = "twostep.inbox")
public interface InboxConfig {

    /** Applied events older than this are forgotten; it must outlast {@link #redeliveryHorizon()}. */
    @WithDefault("P14D")
    Duration retention();

    /** The broker's {@code offsets.retention.minutes}: the longest time after which Kafka may redeliver an event. */
    @WithDefault("P7D")
    Duration redeliveryHorizon();

    /** How often the forgetting runs: a duration such as {@code 1h}, or {@code off}; the scheduler reads it. */
    @WithDefault("1h")
    String retentionEvery();

    /** Both periods, checked against each other: a window that would let a redelivery through is refused. */
    default InboxWindow window() {
        return new InboxWindow(retention(), redeliveryHorizon());
    }
}
