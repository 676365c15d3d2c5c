package dev.twostep.console.notification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * {@code twostep_notifications_subscribed_total{format}}, and per subscription and format
 * {@code twostep_notifications_delivered_total}, {@code twostep_notifications_failed_attempts_total} and
 * {@code twostep_notifications_deadlettered_total}.
 */
@ApplicationScoped
public class NotificationMetrics {

    private final MeterRegistry registry;

    NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void subscribed(Format format) {
        Counter.builder("twostep.notifications.subscribed").tag("format", format.wireName()).register(registry)
                .increment();
    }

    void delivered(UUID subscription, Format format) {
        counter("twostep.notifications.delivered", subscription, format).increment();
    }

    void failedAttempt(UUID subscription, Format format) {
        counter("twostep.notifications.failed.attempts", subscription, format).increment();
    }

    void deadLettered(UUID subscription, Format format) {
        counter("twostep.notifications.deadlettered", subscription, format).increment();
    }

    private Counter counter(String name, UUID subscription, Format format) {
        return Counter.builder(name).tag("subscription", subscription.toString()).tag("format", format.wireName())
                .register(registry);
    }
}
