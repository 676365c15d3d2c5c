package dev.twostep.releasecontroller.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.feature.FlagDefinition;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A feature's release in one environment, prepared for evaluation: either an audience (the users as a set, the
 * bucket threshold computed once) or a flag definition compiled once ({@code definition} non-null), with the
 * bucketing it was released with; the OFREP metadata is built once rather than per request.
 */
public record FlagRelease(double percentage, int bucketsIn, Set<String> users, long sequence, String rolloutId,
                          Map<String, Object> metadata, FlagDefinition definition, Bucketing bucketing) {

    public static FlagRelease of(Audience audience, long sequence, String rolloutId, Bucketing bucketing) {
        Map<String, Object> metadata = metadata(Map.of(), sequence, rolloutId, bucketing);
        metadata.put("percentage", audience.percentage());
        return new FlagRelease(audience.percentage(), Bucketing.bucketsIn(audience.percentage()),
                Set.copyOf(audience.users()), sequence, rolloutId, Map.copyOf(metadata), null, bucketing);
    }

    /** A definition as written to the event store, so it is valid: parsing it again cannot fail. */
    public static FlagRelease of(JsonNode definition, Map<String, JsonNode> segments, long sequence, String rolloutId,
                                 Bucketing bucketing) {
        FlagDefinition parsed = FlagDefinition.parse(definition, segments);
        return new FlagRelease(0, 0, Set.of(), sequence, rolloutId,
                Map.copyOf(metadata(parsed.metadata(), sequence, rolloutId, bucketing)), parsed, bucketing);
    }

    private static Map<String, Object> metadata(Map<String, ?> own, long sequence, String rolloutId,
                                                Bucketing bucketing) {
        Map<String, Object> metadata = new HashMap<>(own);
        metadata.put("sequence", sequence);
        metadata.put("bucketing", bucketing.eventName());
        if (rolloutId != null) {
            metadata.put("rolloutId", rolloutId);
        }
        return metadata;
    }
}
