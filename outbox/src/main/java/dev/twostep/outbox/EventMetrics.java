package dev.twostep.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counters per event type, served on {@code /q/metrics}. */
@ApplicationScoped
public class EventMetrics {

    private final MeterRegistry registry;

    EventMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void published(String type) {
        counter("twostep.events.published", type).increment();
    }

    public void consumed(String type) {
        counter("twostep.events.consumed", type).increment();
    }

    public void deadLettered(String topic) {
        Counter.builder("twostep.events.deadlettered").tag("topic", topic).register(registry).increment();
    }

    private Counter counter(String name, String type) {
        return Counter.builder(name).tag("type", type).register(registry);
    }
}
