package dev.twostep.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An event with the facts about it: its id (consumers deduplicate on it), where and when it was
 * made, its place in the aggregate ({@code subject} + {@code sequence}), and the story it belongs
 * to ({@code correlationId}, {@code causationId}, {@code actor}).
 */
public record EventEnvelope(UUID id, String source, String subject, long sequence, Instant time,
                            String correlationId, String causationId, String actor, String traceparent,
                            TwostepEvent data) {

    public EventEnvelope {
        Require.present(id, "id");
        Require.text(source, "source");
        Require.text(subject, "subject");
        Require.present(time, "time");
        Require.present(data, "data");
    }

    public String type() {
        return EventTypes.typeOf(data);
    }

    public String topic() {
        return Topics.of(data);
    }

    /** The CloudEvents {@code source} of a service: {@code /twostep/<service>}. */
    public static String sourceOf(String service) {
        return "/twostep/" + service;
    }
}
