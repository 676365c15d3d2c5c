package dev.twostep.releasecontroller.view;

import dev.twostep.events.ReleaseEvent.Audience;

import java.time.Instant;

/** One entry of a feature's history: what changed, who did it, why and when. */
public record FeatureChange(String type, String environment, Audience audience, Audience previousAudience,
                            String rolloutId, String decisionId, String reason, String actor, Instant at,
                            String correlationId) {
}
