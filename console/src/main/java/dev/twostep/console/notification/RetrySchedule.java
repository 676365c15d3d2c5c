package dev.twostep.console.notification;

import java.time.Duration;
import java.util.Optional;

/**
 * When a failed delivery is tried again: after {@code first}, then twice as long each time up to {@code cap}, and
 * not at all once {@code attempts} have failed (the delivery is dead-lettered). A function of the attempts made, not
 * a counter in memory like the outbox's {@code Backoff}, because a delivery's next try must be computed from its row
 * by whichever replica claims it, after any restart.
 */
public record RetrySchedule(int attempts, Duration first, Duration cap) {

    public RetrySchedule {
        if (attempts < 1 || first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("attempts >= 1 and 0 < first <= cap, not " + attempts + ", " + first
                    + ", " + cap);
        }
    }

    /** The wait before the next attempt after {@code attemptsMade} failed ones, or empty when none is left. */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade >= attempts) {
            return Optional.empty();
        }
        Duration delay = first;
        for (int i = 1; i < attemptsMade && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(delay.compareTo(cap) > 0 ? cap : delay);
    }
}
