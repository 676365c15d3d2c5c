package dev.twostep.cli.demo;

import dev.twostep.cli.api.PlatformError;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls the public APIs until something became true, because the platform works asynchronously. */
final class Waiting {

    private static final Duration POLL = Duration.ofMillis(200);

    private Waiting() {
    }

    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() > deadline) {
                throw new PlatformError("gave up after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformError("interrupted while waiting for " + what);
            }
        }
    }
}
