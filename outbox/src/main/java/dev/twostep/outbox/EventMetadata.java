package dev.twostep.outbox;

import dev.twostep.events.EventEnvelope;

import java.util.UUID;

/**
 * The story an append belongs to. A command from outside starts a new story (a new correlation id);
 * an event consumed from another service continues that event's story, caused by it.
 */
public record EventMetadata(String correlationId, String causationId, String actor, String traceparent) {

    /** A new story, started by {@code actor} (a user, a CI system, or a service acting by itself). */
    public static EventMetadata startedBy(String actor) {
        return new EventMetadata(UUID.randomUUID().toString(), null, actor, null);
    }

    /** A story that continues from {@code cause}; an unknown correlation starts at the cause. */
    public static EventMetadata causedBy(EventEnvelope cause, String actor) {
        String correlation = cause.correlationId() != null ? cause.correlationId() : cause.id().toString();
        return new EventMetadata(correlation, cause.id().toString(), actor, cause.traceparent());
    }

    /** The same story, carried on by someone else (for example a user who continues a CI's build). */
    public EventMetadata withActor(String otherActor) {
        return new EventMetadata(correlationId, causationId, otherActor, traceparent);
    }
}
