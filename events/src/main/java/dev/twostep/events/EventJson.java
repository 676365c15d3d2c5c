package dev.twostep.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of event data. Unknown fields are ignored because fields may grow; a field that
 * changes meaning gets a new type version instead.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(TwostepEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    /** Reads data of a known type string; any failure is an {@link UndecodableEvent} naming why. */
    public static TwostepEvent read(String type, byte[] json) {
        Class<? extends TwostepEvent> recordClass = EventTypes.classOf(type)
                .orElseThrow(() -> new UndecodableEvent("unknown event type '" + type + "'"));
        if (json == null || json.length == 0) {
            throw new UndecodableEvent("event " + type + " has no data");
        }
        try {
            return MAPPER.readValue(json, recordClass);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new UndecodableEvent("invalid data for " + type + ": " + root.getMessage(), e);
        }
    }
}
