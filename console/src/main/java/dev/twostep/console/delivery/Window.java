package dev.twostep.console.delivery;

import java.time.Duration;
import java.time.Instant;

/** A half-open time window {@code [from, to)}. */
public record Window(Instant from, Instant to) {

    public Window {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** How many days the window spans, for the per-day rates. */
    public double days() {
        return length().toMillis() / 86_400_000.0;
    }
}
