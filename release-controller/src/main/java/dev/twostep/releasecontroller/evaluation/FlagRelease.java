package dev.twostep.releasecontroller.evaluation;

import dev.twostep.events.ReleaseEvent;
import dev.twostep.events.ReleaseEvent.Audience;
import dev.twostep.releasecontroller.release.Bucketing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A feature's audience in one environment, prepared for evaluation: the users as a set, the bucket
 * threshold computed once, and the OFREP metadata built once rather than per request.
 */
public record FlagRelease(double percentage, int bucketsIn, Set<String> users, long sequence, String rolloutId,
                          Map<String, Object> metadata) {

    public static FlagRelease of(Audience audience, long sequence, String rolloutId) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("sequence", sequence);
        metadata.put("percentage", audience.percentage());
        metadata.put("bucketing", ReleaseEvent.FLAGD_FRACTIONAL_100K);
        if (rolloutId != null) {
            metadata.put("rolloutId", rolloutId);
        }
        return new FlagRelease(audience.percentage(), Bucketing.bucketsIn(audience.percentage()),
                Set.copyOf(audience.users()), sequence, rolloutId, Map.copyOf(metadata));
    }
}
