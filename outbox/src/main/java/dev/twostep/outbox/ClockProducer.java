package dev.twostep.outbox;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Domain code asks for a {@link Clock} rather than calling {@code Instant.now()}, so tests can fix time. */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
