package dev.twostep.outbox;

import dev.twostep.events.BuildEvent.BuildCompleted;
import dev.twostep.events.BuildEvent.Outcome;
import dev.twostep.events.EventEnvelope;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test events: any event type would do, a build is the simplest. */
final class Builds {

    private Builds() {
    }

    static BuildCompleted build(String buildId) {
        return new BuildCompleted(buildId, "test-ci", "https://ci.example.com/" + buildId, "https://git.example.com/r",
                "abcdef1", "main", Outcome.FAILED, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:01:00Z"), List.of());
    }

    static EventEnvelope envelope(String buildId) {
        return new EventEnvelope(UUID.randomUUID(), "/twostep/test", buildId, 1, Instant.now(), "corr", null, "test",
                null, build(buildId));
    }
}
