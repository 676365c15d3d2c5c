package dev.twostep.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** How the {@link OutboxRelay} publishes the event store. */
@ConfigMapping(prefix = "twostep.outbox.relay")
public interface RelayConfig {

    /** Whether this service publishes at all; the console, which appends nothing, switches it off. */
    @WithDefault("true")
    boolean enabled();

    /** Events read from PostgreSQL and handed to Kafka at once; the producer sends them in few large requests. */
    @WithDefault("2000")
    @Min(value = 1, message = "must be at least 1")
    @Max(value = 100_000, message = "must be at most 100000 (one read holds the whole batch in memory)")
    int batchSize();

    /**
     * How long the leader waits for an append's NOTIFY before it reads again anyway, and how often a replica tries
     * for the lead; the shutdown waits one of it on top of the batch in flight (deploy/k8s/README.md, "Shutdown").
     */
    @WithDefault("PT0.5S")
    @DurationMin(millis = 1, message = "must be at least 1 ms")
    @DurationMax(minutes = 1, message = "must be at most 1 minute (a replica takes over the lead within one)")
    Duration idlePoll();
}
