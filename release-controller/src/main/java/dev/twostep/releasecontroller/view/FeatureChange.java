package dev.twostep.releasecontroller.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.twostep.events.ReleaseEvent.Audience;

import java.time.Instant;

/**
 * One entry of a feature's history: what changed, who did it, why and when. {@code definition} is the flag
 * definition a {@code feature.definitionset} event set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureChange(String type, String environment, Audience audience, Audience previousAudience,
                            String rolloutId, String decisionId, String reason, String actor, Instant at,
                            String correlationId, JsonNode definition) {
}
