package dev.twostep.console.notification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** How notifications are sent. */
@ConfigMapping(prefix = "twostep.console.notifications")
public interface NotificationConfig {

    /** Whether a subscription may target loopback or private addresses (never link-local or metadata ones). */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** How often due deliveries are looked for. */
    @WithDefault("1s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 1s")
    Duration sendEvery();

    /** Posts per delivery before it is dead-lettered. */
    @WithDefault("8")
    @Min(value = 1, message = "must be at least 1")
    int attempts();

    /** The wait after the first failed post; it doubles after each further one, up to {@link #maxRetry()}. */
    @WithDefault("10s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 10s")
    Duration firstRetry();

    /** The longest wait between two posts of one delivery. */
    @WithDefault("10m")
    @DurationMin(millis = 1, message = "must be a positive duration such as 10m")
    Duration maxRetry();

    /** How long a receiver may take to accept the connection. */
    @WithDefault("3s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 3s")
    Duration connectTimeout();

    /** How long a receiver may take to answer once connected. */
    @WithDefault("10s")
    @DurationMin(millis = 1, message = "must be a positive duration such as 10s")
    Duration readTimeout();

    /** Receivers posted to at once by one replica; each receiver is posted to one delivery at a time. */
    @WithDefault("16")
    @Min(value = 1, message = "must be at least 1")
    int parallelSends();

    /** How long delivered and dead-lettered deliveries are kept for the console to show. */
    @WithDefault("P14D")
    @DurationMin(millis = 1, message = "must be a positive duration such as P14D")
    Duration retention();

    default RetrySchedule retrySchedule() {
        return new RetrySchedule(attempts(), firstRetry(), maxRetry());
    }
}
