package dev.twostep.outbox;

import java.time.Duration;

/** A delay between retries that doubles after each failure up to a cap, and starts over after a success. */
final class Backoff {

    private final Duration first;
    private final Duration cap;
    private Duration next;

    Backoff(Duration first, Duration cap) {
        this.first = first;
        this.cap = cap;
        this.next = first;
    }

    /** The delay before this retry; the one after it is twice as long, at most the cap. */
    Duration next() {
        Duration current = next;
        next = next.multipliedBy(2).compareTo(cap) > 0 ? cap : next.multipliedBy(2);
        return current;
    }

    void reset() {
        next = first;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
